//! A table of text cells as the open data writes it: CSV for spreadsheets here, and the same
//! rows as an OpenDocument spreadsheet in the server. One set of rows for both, so the two
//! downloads never disagree.

/// A header and rows of cells, as they are (no quoting, no formula guard): each writer makes
/// them safe in its own way.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new<S: Into<String>>(header: impl IntoIterator<Item = S>) -> Self {
        Table {
            header: header.into_iter().map(Into::into).collect(),
            rows: Vec::new(),
        }
    }

    pub fn push<S: Into<String>>(&mut self, cells: impl IntoIterator<Item = S>) {
        self.rows.push(cells.into_iter().map(Into::into).collect());
    }

    /// CSV for download: every cell quoted when it needs it and guarded against formulas.
    pub fn csv(&self) -> String {
        let mut out = String::new();
        push_safe_csv_line(&mut out, &self.header);
        for r in &self.rows {
            push_safe_csv_line(&mut out, r);
        }
        out
    }

    /// CSV as the spec's command-line output gives it: quoted when needed, nothing added.
    pub fn plain_csv(&self) -> String {
        let mut out = String::new();
        for line in std::iter::once(&self.header).chain(&self.rows) {
            let cells: Vec<String> = line.iter().map(|c| csv_cell(c)).collect();
            out.push_str(&cells.join(","));
            out.push('\n');
        }
        out
    }
}

/// A CSV cell that a spreadsheet will not run as a formula: text starting with `=`, `+`,
/// `-`, `@`, a tab or a carriage return gets a leading apostrophe (OWASP's advice). Numbers,
/// negative ones included, are left as they are.
pub fn safe_csv_cell(s: &str) -> String {
    let risky = s.starts_with(['=', '+', '-', '@', '\t', '\r']) && s.parse::<f64>().is_err();
    if risky {
        csv_cell(&format!("'{s}"))
    } else {
        csv_cell(s)
    }
}

/// Appends one CSV line of `cells` to `out`, each made safe for spreadsheets
/// (`safe_csv_cell`).
pub fn push_safe_csv_line<S: AsRef<str>>(out: &mut String, cells: &[S]) {
    for (i, c) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&safe_csv_cell(c.as_ref()));
    }
    out.push('\n');
}

/// Quotes a CSV cell when it needs it.
pub fn csv_cell(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_set_of_rows_gives_safe_and_plain_csv() {
        let mut t = Table::new(["name", "value"]);
        t.push(["=SUM(A1)", "-2.5"]);
        t.push(["Leeds, York", "say \"hi\""]);
        assert_eq!(
            t.csv(),
            "name,value\n'=SUM(A1),-2.5\n\"Leeds, York\",\"say \"\"hi\"\"\"\n"
        );
        assert_eq!(
            t.plain_csv(),
            "name,value\n=SUM(A1),-2.5\n\"Leeds, York\",\"say \"\"hi\"\"\"\n"
        );
    }
}
