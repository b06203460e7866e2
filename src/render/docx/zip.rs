//! A minimal, deterministic ZIP writer for OOXML packages.
//!
//! Entries are deflated in memory (`render::deflate`, shared with the PDF writer), so
//! sizes and CRCs go in the local headers and no data descriptors are needed. Every
//! entry is dated 1980-01-01 00:00:00 (the earliest DOS date), carries no extra
//! fields and no attributes, and entries keep the order they were added in: the
//! same parts give the same bytes.

use anyhow::{Context, bail};

use crate::render::deflate::{Wrapper, deflate};

/// DOS time 00:00:00.
const DOS_TIME: u16 = 0;
/// DOS date 1980-01-01: (year - 1980) << 9 | month << 5 | day.
const DOS_DATE: u16 = (1 << 5) | 1;
/// Version 2.0: deflate.
const VERSION: u16 = 20;
const METHOD_DEFLATE: u16 = 8;
/// zlib level for the parts. Over 100 generated agreements: level 6 took 1.0 ms an
/// agreement for 25.7 KB files, level 2 0.72 ms for 29.4 KB, level 1 0.58 ms for 37.7 KB.
const LEVEL: u32 = 2;

struct Entry {
    name: String,
    crc: u32,
    compressed: u32,
    size: u32,
    offset: u32,
}

impl Entry {
    /// The fields the local header and the central directory record share, from
    /// "version needed" through the name length.
    fn put_common(&self, o: &mut Vec<u8>, name_len: u16) {
        put16(o, VERSION);
        put16(o, 0); // flags
        put16(o, METHOD_DEFLATE);
        put16(o, DOS_TIME);
        put16(o, DOS_DATE);
        put32(o, self.crc);
        put32(o, self.compressed);
        put32(o, self.size);
        put16(o, name_len);
    }
}

pub struct ZipWriter {
    out: Vec<u8>,
    entries: Vec<Entry>,
}

impl ZipWriter {
    pub fn new() -> Self {
        ZipWriter {
            out: Vec::with_capacity(64 * 1024),
            entries: Vec::new(),
        }
    }

    /// Adds one file; `name` is a relative path with forward slashes.
    pub fn add(&mut self, name: &str, data: &[u8]) -> anyhow::Result<()> {
        if name.is_empty() || name.starts_with('/') || self.entries.iter().any(|e| e.name == name) {
            bail!("bad or duplicate zip entry name {name:?}");
        }
        let mut crc = flate2::Crc::new();
        crc.update(data);
        let deflated = deflate(data, LEVEL, Wrapper::Raw);
        let entry = Entry {
            name: name.to_string(),
            crc: crc.sum(),
            compressed: u32::try_from(deflated.len()).context("zip entry too large")?,
            size: u32::try_from(data.len()).context("zip entry too large")?,
            offset: u32::try_from(self.out.len()).context("zip archive too large")?,
        };
        let name_len = u16::try_from(name.len()).context("zip entry name too long")?;
        let o = &mut self.out;
        put32(o, 0x0403_4b50);
        entry.put_common(o, name_len);
        put16(o, 0); // extra field length
        o.extend_from_slice(name.as_bytes());
        o.extend_from_slice(&deflated);
        self.entries.push(entry);
        Ok(())
    }

    /// Writes the central directory and returns the archive.
    pub fn finish(mut self) -> anyhow::Result<Vec<u8>> {
        let start = u32::try_from(self.out.len()).context("zip archive too large")?;
        let count = u16::try_from(self.entries.len()).context("too many zip entries")?;
        let o = &mut self.out;
        for e in &self.entries {
            put32(o, 0x0201_4b50);
            put16(o, VERSION); // made by: MS-DOS, 2.0
            e.put_common(o, e.name.len() as u16); // length checked in add()
            put16(o, 0); // extra
            put16(o, 0); // comment
            put16(o, 0); // disk number
            put16(o, 0); // internal attributes
            put32(o, 0); // external attributes
            put32(o, e.offset);
            o.extend_from_slice(e.name.as_bytes());
        }
        let size = u32::try_from(o.len()).context("zip archive too large")? - start;
        put32(o, 0x0605_4b50);
        put16(o, 0); // this disk
        put16(o, 0); // disk with the central directory
        put16(o, count);
        put16(o, count);
        put32(o, size);
        put32(o, start);
        put16(o, 0); // comment length
        Ok(self.out)
    }
}

fn put16(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_is_fixed() {
        let mut z = ZipWriter::new();
        z.add("a.txt", b"hello hello hello").unwrap();
        z.add("b/c.xml", b"<x/>").unwrap();
        assert!(z.add("a.txt", b"again").is_err());
        let bytes = z.finish().unwrap();
        assert_eq!(&bytes[..4], b"PK\x03\x04");
        // Timestamps: time 0, date 1980-01-01.
        assert_eq!(&bytes[10..14], &[0, 0, 0x21, 0]);
        // End of central directory: two entries, no comment.
        let eocd = &bytes[bytes.len() - 22..];
        assert_eq!(&eocd[..4], b"PK\x05\x06");
        assert_eq!(&eocd[8..12], &[2, 0, 2, 0]);
        let mut again = ZipWriter::new();
        again.add("a.txt", b"hello hello hello").unwrap();
        again.add("b/c.xml", b"<x/>").unwrap();
        assert_eq!(again.finish().unwrap(), bytes);
    }
}
