//! Bytes as their sources save them: which encoding a file is in, and which delimiter its rows use.
//!
//! An export is read as what it is, decided per file: a byte-order mark says UTF-8 or UTF-16; bytes that are
//! valid UTF-8 are UTF-8; anything else is the single-byte code page the bytes most likely are — Windows-1252
//! (Latin-1's superset, as spreadsheets in Western Europe save), Windows-1251 (Cyrillic: a party's list of
//! strikes) and the others chardetng tells apart. The caller may say the encoding instead. Delimited text is split
//! on `,`, `;` or tab, whichever its header row uses most outside quotes.

use encoding_rs::Encoding;

/// A file's text and how it was read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded {
    /// The text (without a byte-order mark).
    pub text: String,
    /// The encoding it was read as, by its WHATWG name (`UTF-8`, `UTF-16LE`, `windows-1252`, `windows-1251`…).
    pub encoding: &'static str,
    /// Whether the file began with a byte-order mark.
    pub bom: bool,
    /// Bytes that were not valid in that encoding, each read as U+FFFD.
    pub replaced: usize,
}

/// The encoding a label names (`utf-8`, `windows-1252`, `latin1`, `cp1251`, `utf-16le`…: WHATWG labels, and
/// `cpNNNN` for `windows-NNNN`), or `None`.
pub fn encoding_named(label: &str) -> Option<&'static Encoding> {
    let label = label.trim().to_ascii_lowercase();
    let label = match label.strip_prefix("cp") {
        Some(n) if n.len() == 4 && n.bytes().all(|b| b.is_ascii_digit()) => format!("windows-{n}"),
        _ => label,
    };
    Encoding::for_label(label.as_bytes())
}

/// `bytes` as text: in `forced` when given, else as their byte-order mark, their validity as UTF-8 or their most
/// likely single-byte code page say.
pub fn decode(bytes: &[u8], forced: Option<&'static Encoding>) -> Decoded {
    let (bom_encoding, bom_len) = match Encoding::for_bom(bytes) {
        Some((e, n)) => (Some(e), n),
        None => (None, 0),
    };
    let encoding = forced.or(bom_encoding).unwrap_or_else(|| {
        if std::str::from_utf8(bytes).is_ok() {
            encoding_rs::UTF_8
        } else {
            let mut detector = chardetng::EncodingDetector::new();
            detector.feed(bytes, true);
            detector.guess(None, false)
        }
    });
    // A forced encoding still drops a BOM of its own kind; another kind's BOM is read as text.
    let skip = if bom_encoding == Some(encoding) {
        bom_len
    } else {
        0
    };
    let body = &bytes[skip..];
    let (text, replaced) = match encoding.decode_without_bom_handling_and_without_replacement(body)
    {
        Some(text) => (text.into_owned(), 0),
        None => {
            let (text, _) = encoding.decode_without_bom_handling(body);
            let replaced = text.matches('\u{FFFD}').count().max(1);
            (text.into_owned(), replaced)
        }
    };
    Decoded {
        text,
        encoding: encoding.name(),
        bom: skip > 0,
        replaced,
    }
}

/// The delimiter of delimited `text`: of `,`, `;` and tab, the one its first row has most of outside quotes
/// (`,` when it has none).
pub fn delimiter(text: &str) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' if !quoted => break,
            ',' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3)
        .max_by_key(|&i| (counts[i], std::cmp::Reverse(i)))
        .unwrap_or(0);
    if counts[best] == 0 {
        b','
    } else {
        [b',', b';', b'\t'][best]
    }
}

/// A delimiter's name, for the answer a file gets: `,` `;` or `tab`.
pub fn delimiter_name(d: u8) -> &'static str {
    match d {
        b';' => ";",
        b'\t' => "tab",
        _ => ",",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_encoding_is_read_as_what_it_is() {
        let text = "id,text\n1,Café in Kyiv — 3 drones\n";
        // UTF-8, with and without BOM.
        let d = decode(text.as_bytes(), None);
        assert_eq!((d.encoding, d.bom, d.text.as_str()), ("UTF-8", false, text));
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(text.as_bytes());
        let d = decode(&bom, None);
        assert_eq!((d.encoding, d.bom, d.text.as_str()), ("UTF-8", true, text));
        // UTF-16 with its BOM, either byte order.
        for (encoding, name) in [
            (encoding_rs::UTF_16LE, "UTF-16LE"),
            (encoding_rs::UTF_16BE, "UTF-16BE"),
        ] {
            let mut bytes: Vec<u8> = if encoding == encoding_rs::UTF_16LE {
                vec![0xFF, 0xFE]
            } else {
                vec![0xFE, 0xFF]
            };
            for unit in text.encode_utf16() {
                let b = if encoding == encoding_rs::UTF_16LE {
                    unit.to_le_bytes()
                } else {
                    unit.to_be_bytes()
                };
                bytes.extend_from_slice(&b);
            }
            let d = decode(&bytes, None);
            assert_eq!((d.encoding, d.text.as_str()), (name, text));
        }
        // Windows-1252: the bytes of a Western European spreadsheet.
        let latin =
            "id,text\n1,Café near Zaporizhzhia, shelling reported; señal perdida à l'aube\n";
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(latin);
        let d = decode(&bytes, None);
        assert_eq!((d.encoding, d.text.as_str()), ("windows-1252", latin));
        // Windows-1251: Cyrillic.
        let cyrillic = "id,text\n1,Обстріл Запоріжжя: три дрони збито над містом вночі, пошкоджено підстанцію\n";
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(cyrillic);
        let d = decode(&bytes, None);
        assert_eq!((d.encoding, d.text.as_str()), ("windows-1251", cyrillic));
        // Said by the caller.
        let d = decode(&bytes, encoding_named("cp1251"));
        assert_eq!(d.text, cyrillic);
        assert_eq!(encoding_named("latin1"), Some(encoding_rs::WINDOWS_1252));
        assert_eq!(encoding_named("klingon"), None);
    }

    #[test]
    fn bytes_invalid_in_a_forced_encoding_are_counted() {
        let d = decode(&[b'a', 0xFF, b'b'], Some(encoding_rs::UTF_8));
        assert_eq!(d.text, "a\u{FFFD}b");
        assert_eq!(d.replaced, 1);
    }

    #[test]
    fn the_delimiter_is_the_header_rows() {
        assert_eq!(delimiter("a,b,c\n1,2,3"), b',');
        assert_eq!(delimiter("a;b;c\n1,5;2;3"), b';');
        assert_eq!(delimiter("a\tb\tc\n"), b'\t');
        assert_eq!(delimiter("\"a;b\",c,d\n"), b',');
        assert_eq!(delimiter("single\n"), b',');
    }
}
