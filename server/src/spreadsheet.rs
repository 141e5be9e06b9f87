//! OpenDocument spreadsheets (`.ods`, the UK government's open standard for tables) of the
//! open data: one sheet the table, with numbers, dates and yes/no held as such (no formula can
//! be smuggled in: every other cell is text), and a "Fields" sheet, the field dictionary.
//!
//! An `.ods` file is a zip: `mimetype` first and uncompressed, then the manifest, the content
//! and the styles as XML (OpenDocument 1.2, part 3).

use app::domain::open_data::{Field, FieldType};
use app::domain::table::Table;
use std::io::Write;
use zip::write::SimpleFileOptions;

const MIMETYPE: &str = "application/vnd.oasis.opendocument.spreadsheet";

const MANIFEST: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:version="1.2" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
 <manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"#;

const NAMESPACES: &str = r#"xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" office:version="1.2""#;

/// The spreadsheet of `table` on a sheet named `sheet`, its columns typed by `fields` (a
/// column without a field is text), and the fields on a second sheet.
pub fn ods(sheet: &str, table: &Table, fields: &[Field]) -> Vec<u8> {
    let kinds: Vec<FieldType> = table
        .header
        .iter()
        .map(|h| {
            fields
                .iter()
                .find(|f| &f.name == h)
                .map_or(FieldType::String, |f| f.kind)
        })
        .collect();
    let mut content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content {NAMESPACES}><office:automatic-styles><number:date-style style:name="N1"><number:day number:style="long"/><number:text> </number:text><number:month number:textual="true"/><number:text> </number:text><number:year number:style="long"/></number:date-style><style:style style:name="head" style:family="table-cell"><style:text-properties fo:font-weight="bold"/></style:style><style:style style:name="date" style:family="table-cell" style:data-style-name="N1"/><style:style style:name="wide" style:family="table-column"><style:table-column-properties style:column-width="4cm"/></style:style></office:automatic-styles><office:body><office:spreadsheet>"#
    );
    sheet_xml(&mut content, sheet, &table.header, &table.rows, &kinds);
    let dictionary: Vec<Vec<String>> = fields
        .iter()
        .map(|f| {
            vec![
                f.name.clone(),
                f.kind.name().to_string(),
                f.unit.unwrap_or_default().to_string(),
                f.description.clone(),
            ]
        })
        .collect();
    let head = ["field", "type", "unit", "description"].map(String::from);
    sheet_xml(
        &mut content,
        "Fields",
        &head,
        &dictionary,
        &[FieldType::String; 4],
    );
    content.push_str("</office:spreadsheet></office:body></office:document-content>\n");
    let styles = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles {NAMESPACES}/>
"#
    );

    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let deflated =
        SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    // Writing to memory cannot fail.
    let parts = [
        ("mimetype", MIMETYPE, stored),
        ("META-INF/manifest.xml", MANIFEST, deflated),
        ("content.xml", content.as_str(), deflated),
        ("styles.xml", styles.as_str(), deflated),
    ];
    for (name, body, options) in parts {
        out.start_file(name, options).expect("zip in memory");
        out.write_all(body.as_bytes()).expect("zip in memory");
    }
    out.finish().expect("zip in memory").into_inner()
}

fn sheet_xml(
    out: &mut String,
    name: &str,
    header: &[String],
    rows: &[Vec<String>],
    kinds: &[FieldType],
) {
    out.push_str(&format!(
        r#"<table:table table:name="{}"><table:table-column table:style-name="wide" table:number-columns-repeated="{}"/><table:table-header-rows><table:table-row>"#,
        xml(name),
        header.len().max(1)
    ));
    for h in header {
        out.push_str(
            r#"<table:table-cell table:style-name="head" office:value-type="string"><text:p>"#,
        );
        out.push_str(&xml(h));
        out.push_str("</text:p></table:table-cell>");
    }
    out.push_str("</table:table-row></table:table-header-rows>");
    for row in rows {
        out.push_str("<table:table-row>");
        for (i, cell) in row.iter().enumerate() {
            let kind = kinds.get(i).copied().unwrap_or(FieldType::String);
            out.push_str(&cell_xml(cell, kind));
        }
        out.push_str("</table:table-row>");
    }
    out.push_str("</table:table>");
}

/// One cell: empty stays empty; a number, date or yes/no that reads as one is held as one,
/// anything else as text.
fn cell_xml(cell: &str, kind: FieldType) -> String {
    if cell.is_empty() {
        return "<table:table-cell/>".to_string();
    }
    let shown = xml(cell);
    match kind {
        FieldType::Integer | FieldType::Number if cell.parse::<f64>().is_ok_and(f64::is_finite) => {
            format!(
                r#"<table:table-cell office:value-type="float" office:value="{cell}"><text:p>{shown}</text:p></table:table-cell>"#
            )
        }
        FieldType::Date if chrono::NaiveDate::parse_from_str(cell, "%Y-%m-%d").is_ok() => {
            format!(
                r#"<table:table-cell table:style-name="date" office:value-type="date" office:date-value="{cell}"><text:p>{shown}</text:p></table:table-cell>"#
            )
        }
        FieldType::Boolean if cell == "true" || cell == "false" => {
            format!(
                r#"<table:table-cell office:value-type="boolean" office:boolean-value="{cell}"><text:p>{}</text:p></table:table-cell>"#,
                cell.to_uppercase()
            )
        }
        _ => format!(
            r#"<table:table-cell office:value-type="string"><text:p>{shown}</text:p></table:table-cell>"#
        ),
    }
}

/// Text for XML: markup escaped, characters XML 1.0 cannot hold dropped.
fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}
