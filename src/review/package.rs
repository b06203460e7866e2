//! The returned DOCX as a ZIP package, opened as untrusted input (SPEC §6): the file,
//! the number of entries, every part read and all parts together are bounded, and a
//! part is read no further than it says it is long, so a zip bomb (a tiny entry that
//! inflates without end, or one that lies about its size) stops at the limit instead
//! of filling memory. Only the parts a review needs are inflated at all.

use crate::check::codes;
use crate::diag::Diagnostic;
use std::io::Read;
use std::path::Path;

/// Limits on one returned DOCX. A 100-page agreement from Word is well under 1 MiB
/// zipped and a few MiB of XML; these leave room for embedded images while refusing
/// what no agreement needs.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Most bytes of the .docx file itself.
    pub file: u64,
    /// Most entries in its central directory.
    pub entries: usize,
    /// Most bytes one part may inflate to.
    pub part: u64,
    /// Most bytes all parts read may inflate to together.
    pub total: u64,
    /// Most a part larger than 1 MiB may inflate per compressed byte. Text XML deflates
    /// about 5–20 to 1; a bomb, thousands to 1.
    pub ratio: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            file: 64 << 20,
            entries: 4096,
            part: 32 << 20,
            total: 96 << 20,
            ratio: 200,
        }
    }
}

/// The parts of a package a review reads, by name, as text.
pub struct Package {
    names: Vec<String>,
    archive: zip::ZipArchive<std::io::Cursor<Vec<u8>>>,
    read_so_far: u64,
    limits: Limits,
    /// The file, for messages.
    pub file: std::path::PathBuf,
}

fn error(file: &Path, message: impl Into<String>) -> Diagnostic {
    Diagnostic::error(codes::E0850, file, message)
}

impl Package {
    /// Opens the bytes of a .docx: a ZIP archive within the limits.
    pub fn open(file: &Path, bytes: Vec<u8>, limits: Limits) -> Result<Package, Diagnostic> {
        if bytes.len() as u64 > limits.file {
            return Err(error(
                file,
                format!(
                    "the DOCX is {} bytes, more than the {} bytes a returned agreement may have",
                    bytes.len(),
                    limits.file
                ),
            ));
        }
        if !bytes.starts_with(b"PK") {
            return Err(error(
                file,
                "not a DOCX file: a DOCX is a ZIP archive, and this file does not start like one (was it saved as .doc, PDF or RTF?)",
            )
            .at(1, 1));
        }
        let archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
            .map_err(|e| error(file, format!("not a readable DOCX (ZIP archive): {e}")))?;
        if archive.len() > limits.entries {
            return Err(error(
                file,
                format!(
                    "the DOCX has {} entries, more than the {} allowed",
                    archive.len(),
                    limits.entries
                ),
            ));
        }
        let names = archive.file_names().map(str::to_string).collect();
        Ok(Package {
            names,
            archive,
            read_so_far: 0,
            limits,
            file: file.to_path_buf(),
        })
    }

    pub fn has(&self, name: &str) -> bool {
        self.names.iter().any(|n| n == name)
    }

    /// The part `name` as UTF-8 text, `None` when the package has no such part.
    pub fn text(&mut self, name: &str) -> Result<Option<String>, Diagnostic> {
        if !self.has(name) {
            return Ok(None);
        }
        let shown = part_path(&self.file, name);
        let limits = self.limits;
        let mut entry = self
            .archive
            .by_name(name)
            .map_err(|e| error(&shown, format!("cannot read this part of the DOCX: {e}")))?;
        let declared = entry.size();
        let compressed = entry.compressed_size().max(1);
        if declared > limits.part {
            return Err(error(
                &shown,
                format!(
                    "this part says it inflates to {declared} bytes, more than the {} one part may have",
                    limits.part
                ),
            ));
        }
        if declared > 1 << 20 && declared / compressed > limits.ratio {
            return Err(error(
                &shown,
                format!(
                    "this part inflates {}:1 ({compressed} bytes to {declared}): a zip bomb, not a document",
                    declared / compressed
                ),
            ));
        }
        let budget = limits.total.saturating_sub(self.read_so_far);
        if declared > budget {
            return Err(error(
                &shown,
                format!(
                    "the parts of this DOCX inflate to more than {} bytes together",
                    limits.total
                ),
            ));
        }
        // Read one byte past what the entry declares: more is a lie about its size.
        let mut bytes = Vec::with_capacity(declared as usize);
        (&mut entry)
            .take(declared + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| error(&shown, format!("this part of the DOCX is damaged: {e}")))?;
        if bytes.len() as u64 > declared {
            return Err(error(
                &shown,
                format!(
                    "this part inflates to more than the {declared} bytes it declares: damaged or built to deceive"
                ),
            ));
        }
        if (bytes.len() as u64) < declared {
            return Err(error(
                &shown,
                format!(
                    "this part inflates to {} bytes but declares {declared}: the DOCX is damaged",
                    bytes.len()
                ),
            ));
        }
        self.read_so_far += declared;
        match String::from_utf8(bytes) {
            Ok(s) => Ok(Some(s)),
            Err(e) => {
                let offset = e.utf8_error().valid_up_to();
                let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
                Err(Diagnostic::error(
                    codes::E0851,
                    shown,
                    "this part of the DOCX is not UTF-8 XML",
                )
                .at_offset(&lossy, offset))
            }
        }
    }
}

/// How a part inside a DOCX is named in messages: `THEIRS.docx:word/document.xml`.
pub fn part_path(file: &Path, part: &str) -> std::path::PathBuf {
    let mut s = file.as_os_str().to_owned();
    s.push(":");
    s.push(part);
    s.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny_zip(entries: usize, body: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for i in 0..entries {
            w.start_file(format!("p{i}.xml"), opts).unwrap();
            w.write_all(body).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn every_limit_stops_with_its_own_message() {
        let file = Path::new("t.docx");
        let small = Limits {
            file: 1 << 20,
            entries: 3,
            part: 100,
            total: 150,
            ratio: 200,
        };
        let e = Package::open(file, vec![b'P'; (1 << 20) + 1], small)
            .err()
            .unwrap();
        assert!(
            e.message.contains("more than the 1048576 bytes"),
            "{}",
            e.message
        );
        let e = Package::open(file, tiny_zip(4, b"<a/>"), small)
            .err()
            .unwrap();
        assert!(e.message.contains("4 entries"), "{}", e.message);
        let mut p = Package::open(file, tiny_zip(2, &[b' '; 101]), small).unwrap();
        let e = p.text("p0.xml").err().unwrap();
        assert!(e.message.contains("more than the 100"), "{}", e.message);
        let mut p = Package::open(file, tiny_zip(3, &[b' '; 80]), small).unwrap();
        assert_eq!(p.text("p0.xml").unwrap().unwrap().len(), 80);
        let e = p.text("p1.xml").err().unwrap();
        assert!(e.message.contains("together"), "{}", e.message);
        assert!(p.text("absent.xml").unwrap().is_none());
    }
}
