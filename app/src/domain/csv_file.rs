//! Reading a CSV file of the service: checked as UTF-8 text with the expected header, then
//! each record handed on with its line number, every problem kept with its line. The file
//! parsers (economies, values, trusts, the panel's files) build on it.

use super::problem::Problem;

/// Reads a CSV file after checking the encoding and the header, handing each record (its
/// fields trimmed by the caller) with its line number to `visit`.
pub fn read_csv(
    bytes: &[u8],
    columns: &[&str],
    mut visit: impl FnMut(u64, &csv::StringRecord, &mut Vec<Problem>),
) -> Result<(), Vec<Problem>> {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let line = bytes[..e.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u64
                + 1;
            return Err(vec![Problem::at_line(
                line,
                "file",
                "not UTF-8 text (save the file as CSV UTF-8)",
            )]);
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(vec![Problem::at_line(1, "file", "empty")]);
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let expected = columns.join(",");
    let mut record = csv::StringRecord::new();
    match reader.read_record(&mut record) {
        Ok(true) => {}
        Ok(false) => return Err(vec![Problem::at_line(1, "file", "empty")]),
        Err(e) => {
            return Err(vec![Problem::at_line(
                1,
                "file",
                format!("not valid CSV: {e}"),
            )])
        }
    }
    let found: Vec<String> = record
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    if found != columns {
        let extra: Vec<&String> = found
            .iter()
            .filter(|c| !columns.contains(&c.as_str()))
            .collect();
        let message = if extra.is_empty() {
            format!("the header must be {expected}, found {}", found.join(","))
        } else {
            format!(
                "unexpected column{} {} (the header must be {expected})",
                if extra.len() > 1 { "s" } else { "" },
                extra
                    .iter()
                    .map(|c| format!("\"{c}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        return Err(vec![Problem::at_line(1, "file", message)]);
    }
    let mut problems = Vec::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = record.position().map(|p| p.line()).unwrap_or(0);
                if record.len() == 1 && record.get(0).is_some_and(|f| f.trim().is_empty()) {
                    continue;
                }
                if record.len() != columns.len() {
                    problems.push(Problem::at_line(
                        line,
                        "file",
                        format!(
                            "expected {} fields ({expected}), found {}",
                            columns.len(),
                            record.len()
                        ),
                    ));
                    continue;
                }
                visit(line, &record, &mut problems);
            }
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                problems.push(Problem::at_line(
                    line,
                    "file",
                    format!("not valid CSV: {e}"),
                ));
                // The reader cannot resynchronise after a broken quote: stop here.
                if !matches!(e.kind(), csv::ErrorKind::UnequalLengths { .. }) {
                    break;
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}
