//! Deflate for the PDF streams and the DOCX zip entries, with one compressor per
//! thread and setting, reset between streams. A fresh zlib state allocates and zeroes
//! about 300 KB of window and hash table; for the twenty-odd streams of an agreement
//! (or the dozen parts of a DOCX) that cost more than compressing them.

use std::cell::RefCell;

use flate2::{Compress, Compression, FlushCompress, Status};

/// The framing around the deflate data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wrapper {
    /// zlib header and Adler-32 trailer, as PDF's `FlateDecode` wants.
    Zlib,
    /// Bare deflate data, as a zip entry holds.
    Raw,
}

thread_local! {
    static COMPRESSORS: RefCell<Vec<(u32, Wrapper, Compress)>> = const { RefCell::new(Vec::new()) };
}

/// `data` deflated at `level` (1 fastest … 9 smallest).
pub fn deflate(data: &[u8], level: u32, wrapper: Wrapper) -> Vec<u8> {
    let mut out = Vec::new();
    deflate_into(data, level, wrapper, &mut out);
    out
}

/// Like [`deflate`], replacing the contents of `out` (so its allocation is reused).
pub fn deflate_into(data: &[u8], level: u32, wrapper: Wrapper, out: &mut Vec<u8>) {
    out.clear();
    out.reserve(data.len() / 3 + 64);
    COMPRESSORS.with_borrow_mut(|compressors| {
        let index = match compressors
            .iter()
            .position(|(l, w, _)| *l == level && *w == wrapper)
        {
            Some(i) => i,
            None => {
                let zlib = wrapper == Wrapper::Zlib;
                compressors.push((level, wrapper, Compress::new(Compression::new(level), zlib)));
                compressors.len() - 1
            }
        };
        let compress = &mut compressors[index].2;
        compress.reset();
        loop {
            let consumed = usize::try_from(compress.total_in()).unwrap_or(usize::MAX);
            let input = data.get(consumed..).unwrap_or_default();
            match compress.compress_vec(input, out, FlushCompress::Finish) {
                Ok(Status::StreamEnd) => break,
                Ok(_) => out.reserve(out.capacity().max(64)),
                // Compressing into a growing Vec does not fail; should it ever, the
                // stream is cut short and the reader reports it.
                Err(_) => break,
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn round_trips_in_both_wrappers_and_reuse_changes_nothing() {
        let data: Vec<u8> = (0..200_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let zlib = deflate(&data, 6, Wrapper::Zlib);
        let mut back = Vec::new();
        flate2::read::ZlibDecoder::new(&zlib[..])
            .read_to_end(&mut back)
            .unwrap();
        assert_eq!(back, data);
        let raw = deflate(&data, 1, Wrapper::Raw);
        back.clear();
        flate2::read::DeflateDecoder::new(&raw[..])
            .read_to_end(&mut back)
            .unwrap();
        assert_eq!(back, data);
        // A reset compressor gives what a fresh one gives.
        assert_eq!(deflate(&data, 6, Wrapper::Zlib), zlib);
        assert_eq!(deflate(b"", 1, Wrapper::Raw), deflate(b"", 1, Wrapper::Raw));
    }
}
