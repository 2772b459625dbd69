//! Tables for staff who live in spreadsheets: one table as CSV text, several as the sheets of an XLSX workbook.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};

/// A table cell.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// Text.
    Text(String),
    /// A whole number.
    Int(i64),
    /// A number with a fraction.
    Real(f64),
}

impl Cell {
    /// The cell as text (for CSV and HTML).
    pub fn text(&self) -> String {
        match self {
            Cell::Text(t) => t.clone(),
            Cell::Int(i) => i.to_string(),
            // The shortest text that reads back as the same number: round the value before, not here.
            Cell::Real(r) => r.to_string(),
        }
    }

    /// Whether the cell holds a number (right-aligned in HTML).
    pub fn is_number(&self) -> bool {
        !matches!(self, Cell::Text(_))
    }
}

impl From<&str> for Cell {
    fn from(t: &str) -> Cell {
        Cell::Text(t.to_owned())
    }
}

impl From<String> for Cell {
    fn from(t: String) -> Cell {
        Cell::Text(t)
    }
}

impl From<u64> for Cell {
    fn from(i: u64) -> Cell {
        Cell::Int(i64::try_from(i).unwrap_or(i64::MAX))
    }
}

impl From<usize> for Cell {
    fn from(i: usize) -> Cell {
        Cell::Int(i64::try_from(i).unwrap_or(i64::MAX))
    }
}

impl From<u32> for Cell {
    fn from(i: u32) -> Cell {
        Cell::Int(i64::from(i))
    }
}

impl From<f64> for Cell {
    fn from(r: f64) -> Cell {
        Cell::Real(r)
    }
}

/// A table with a name (a sheet's name in a workbook), a header row and rows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table {
    /// Name (at most 31 characters in a workbook).
    pub name: String,
    /// Column headings.
    pub header: Vec<String>,
    /// Rows, each as long as the header.
    pub rows: Vec<Vec<Cell>>,
}

/// `table` as CSV text, header first.
pub fn csv(table: &Table) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    // Writing to memory cannot fail.
    let _ = w.write_record(&table.header);
    for row in &table.rows {
        let _ = w.write_record(row.iter().map(Cell::text));
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// Why a workbook could not be made.
#[derive(Debug, thiserror::Error)]
#[error("the workbook cannot be written: {0}")]
pub struct XlsxError(String);

/// `tables` as the sheets of one XLSX workbook: bold frozen headers, columns fitted to their contents. The
/// workbook says it was created on `created` (year, month, day), not when it was written, so the same tables
/// give the same bytes.
pub fn xlsx(tables: &[Table], created: (u16, u8, u8)) -> Result<Vec<u8>, XlsxError> {
    let e = |e: rust_xlsxwriter::XlsxError| XlsxError(e.to_string());
    let mut book = Workbook::new();
    let (y, m, d) = created;
    let date = ExcelDateTime::from_ymd(y, m, d).map_err(e)?;
    book.set_properties(&DocProperties::new().set_creation_datetime(&date));
    let bold = Format::new().set_bold();
    for table in tables {
        let sheet = book.add_worksheet();
        let name: String = table
            .name
            .chars()
            .filter(|c| !"[]:*?/\\".contains(*c))
            .take(31)
            .collect();
        sheet
            .set_name(if name.is_empty() { "Sheet" } else { &name })
            .map_err(e)?;
        for (c, h) in table.header.iter().enumerate() {
            sheet
                .write_string_with_format(0, c as u16, h, &bold)
                .map_err(e)?;
        }
        for (r, row) in table.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                match cell {
                    Cell::Text(t) => sheet.write_string(r, c, t).map(|_| ()),
                    Cell::Int(i) => sheet.write_number(r, c, *i as f64).map(|_| ()),
                    Cell::Real(x) => sheet.write_number(r, c, *x).map(|_| ()),
                }
                .map_err(e)?;
            }
        }
        sheet.set_freeze_panes(1, 0).map_err(e)?;
        sheet.autofit();
    }
    book.save_to_buffer().map_err(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Table {
        Table {
            name: "Lines".into(),
            header: vec!["line".into(), "troops".into(), "fill".into()],
            rows: vec![
                vec!["r1, north".into(), Cell::from(1200u64), Cell::from(0.5)],
                vec!["r2".into(), Cell::from(0u64), Cell::from(1.0)],
            ],
        }
    }

    #[test]
    fn csv_quotes_what_needs_it() {
        assert_eq!(
            csv(&sample()),
            "line,troops,fill\n\"r1, north\",1200,0.5\nr2,0,1\n"
        );
    }

    #[test]
    fn a_workbook_is_a_zip_with_a_sheet_per_table() {
        let tables = [
            sample(),
            Table {
                name: "Nations/x".into(),
                ..sample()
            },
        ];
        let bytes = xlsx(&tables, (2027, 1, 1)).expect("written");
        assert_eq!(&bytes[..2], b"PK");
        // No clock inside: the same tables, the same bytes.
        assert_eq!(xlsx(&tables, (2027, 1, 1)).expect("written"), bytes);
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.contains("xl/worksheets/sheet2.xml"));
    }
}
