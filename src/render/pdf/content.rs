//! One page's content stream, written straight into bytes.
//!
//! Content streams are most of an agreement's PDF bytes, and deflating them most of
//! its time, so their size is the writer's speed. Written here rather than through
//! pdf-writer's `Content`, which escapes the two-byte glyph codes of a CID font as
//! octal or hex (two to four bytes per byte): glyph codes go in as binary literal
//! strings, text objects carry only what changed, and numbers are written short.

use skrifa::GlyphId;
use skrifa::instance::{LocationRef, Size};
use skrifa::outline::DrawSettings;

use super::fonts::Face;
use super::model::{ArtifactKind, PAGE_HEIGHT, Rgb};

/// Write `v` with at most `decimals` (≤ 3) decimals and no trailing zeros.
pub fn push_num(buf: &mut Vec<u8>, v: f32, decimals: u32) {
    let scale = 10i64.pow(decimals);
    let n = (f64::from(v) * scale as f64).round() as i64;
    if n < 0 {
        buf.push(b'-');
    }
    let n = n.unsigned_abs();
    let (int, mut frac) = (n / scale as u64, n % scale as u64);
    push_int(buf, int);
    if frac != 0 {
        buf.push(b'.');
        let mut width = decimals as usize;
        while frac % 10 == 0 {
            frac /= 10;
            width -= 1;
        }
        let mut digits = [b'0'; 3];
        for slot in digits[..width].iter_mut().rev() {
            *slot = b'0' + (frac % 10) as u8;
            frac /= 10;
        }
        buf.extend_from_slice(&digits[..width]);
    }
}

/// Write `n` in decimal.
fn push_int(buf: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    buf.extend_from_slice(&digits[start..]);
}

/// Properties of an artifact's marked-content sequence.
fn artifact_properties(kind: ArtifactKind) -> &'static [u8] {
    match kind {
        ArtifactKind::Header => b"<</Type/Pagination/Subtype/Header/Attached[/Top]>>",
        ArtifactKind::Footer => b"<</Type/Pagination/Subtype/Footer/Attached[/Bottom]>>",
        ArtifactKind::Watermark => b"<</Type/Pagination/Subtype/Watermark>>",
        ArtifactKind::Layout => b"<</Type/Layout>>",
        ArtifactKind::Pagination => b"<</Type/Pagination>>",
    }
}

/// What the stream has set so far, so nothing is set twice.
#[derive(Default, Clone, Copy)]
struct State {
    color: Option<Rgb>,
    /// Font resource index and size last selected with `Tf`.
    font: Option<(usize, f32)>,
}

/// A content stream being written, with the graphics state it has set so far.
#[derive(Default)]
pub struct ContentWriter {
    pub buf: Vec<u8>,
    state: State,
    /// Inside `BT`: the start of the current line, set by `Td`.
    line: Option<(f32, f32)>,
    /// States to restore at `Q`.
    saved: Vec<State>,
}

impl ContentWriter {
    pub fn new(capacity: usize) -> ContentWriter {
        ContentWriter {
            buf: Vec::with_capacity(capacity),
            ..ContentWriter::default()
        }
    }

    /// Start a new page's stream, keeping the allocation.
    pub fn reset(&mut self) {
        let mut buf = std::mem::take(&mut self.buf);
        buf.clear();
        *self = ContentWriter {
            buf,
            ..ContentWriter::default()
        };
    }

    fn num(&mut self, v: f32) {
        push_num(&mut self.buf, v, 3);
    }

    fn op(&mut self, op: &[u8]) {
        self.buf.extend_from_slice(op);
        self.buf.push(b'\n');
    }

    pub fn begin_content(&mut self, mcid: u32) {
        self.buf.extend_from_slice(b"/Span<</MCID ");
        push_int(&mut self.buf, u64::from(mcid));
        self.op(b">>BDC");
    }

    pub fn begin_artifact(&mut self, kind: ArtifactKind) {
        self.buf.extend_from_slice(b"/Artifact");
        self.buf.extend_from_slice(artifact_properties(kind));
        self.op(b"BDC");
    }

    pub fn end_marked(&mut self) {
        self.op(b"EMC");
    }

    pub fn set_color(&mut self, color: Rgb) {
        if self.state.color == Some(color) {
            return;
        }
        self.state.color = Some(color);
        for c in [color.0, color.1, color.2] {
            push_num(&mut self.buf, f32::from(c) / 255.0, 3);
            self.buf.push(b' ');
        }
        self.op(b"rg");
    }

    /// Fill a rectangle given in layout coordinates (top-left origin, y down).
    pub fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, color: Rgb) {
        if !(w > 0.0 && h > 0.0) {
            return;
        }
        self.end_text();
        self.set_color(color);
        for v in [x, PAGE_HEIGHT - y - h, w, h] {
            self.num(v);
            self.buf.push(b' ');
        }
        self.op(b"re f");
    }

    /// `q` plus a rotation by `degrees` (anticlockwise) about the layout point `(x, y)`.
    pub fn push_rotation(&mut self, degrees: f32, x: f32, y: f32) {
        self.end_text();
        self.saved.push(self.state);
        let (sin, cos) = degrees.to_radians().sin_cos();
        self.op(b"q");
        for v in [cos, sin, -sin, cos, x, PAGE_HEIGHT - y] {
            self.num(v);
            self.buf.push(b' ');
        }
        self.op(b"cm");
    }

    pub fn pop(&mut self) {
        self.end_text();
        self.op(b"Q");
        if let Some(state) = self.saved.pop() {
            self.state = state;
        }
    }

    /// Move the text position to the layout point `(x, baseline)`, opening a text
    /// object if none is open.
    pub fn text_at(&mut self, x: f32, baseline: f32) {
        let y = PAGE_HEIGHT - baseline;
        let (dx, dy) = match self.line {
            Some((lx, ly)) => (x - lx, y - ly),
            None => {
                self.op(b"BT");
                (x, y)
            }
        };
        self.line = Some((x, y));
        self.num(dx);
        self.buf.push(b' ');
        self.num(dy);
        self.op(b" Td");
    }

    pub fn end_text(&mut self) {
        if self.line.take().is_some() {
            self.op(b"ET");
        }
    }

    pub fn set_font(&mut self, resource: usize, size: f32) {
        if self.state.font == Some((resource, size)) {
            return;
        }
        self.state.font = Some((resource, size));
        self.buf.extend_from_slice(b"/F");
        push_int(&mut self.buf, resource as u64);
        self.buf.push(b' ');
        self.num(size);
        self.op(b" Tf");
    }

    /// Show glyphs: `codes` are the CIDs, `adjust[i]` the `TJ` adjustment after glyph
    /// `i` (thousandths of an em; positive moves left).
    pub fn show(&mut self, glyphs: impl Iterator<Item = (u16, f32)>) {
        self.buf.extend_from_slice(b"[(");
        // The rounding left over from earlier adjustments, carried so it never adds up.
        let mut pending = 0.0f32;
        for (code, adjust) in glyphs {
            for byte in code.to_be_bytes() {
                match byte {
                    b'(' | b')' | b'\\' => self.buf.extend_from_slice(&[b'\\', byte]),
                    b'\r' => self.buf.extend_from_slice(b"\\r"),
                    _ => self.buf.push(byte),
                }
            }
            pending += adjust;
            let rounded = (pending * 100.0).round() / 100.0;
            if rounded != 0.0 {
                self.buf.push(b')');
                push_num(&mut self.buf, rounded, 2);
                self.buf.push(b'(');
                pending -= rounded;
            }
        }
        self.op(b")]TJ");
    }

    /// Fill the outlines of `glyphs` (id, x offset in points) at the current origin:
    /// text drawn as shapes, so it is seen but never extracted or read aloud.
    pub fn outlines(&mut self, face: &Face, size: f32, glyphs: impl Iterator<Item = (u16, f32)>) {
        self.end_text();
        let scale = face.scale(size);
        if let Some(outlines) = face.outline_glyphs() {
            for (id, x) in glyphs {
                let Some(glyph) = outlines.get(GlyphId::new(u32::from(id))) else {
                    continue;
                };
                let mut pen = Pen {
                    out: &mut self.buf,
                    scale,
                    dx: x,
                    last: (0.0, 0.0),
                };
                // A glyph that cannot be drawn is left out; the watermark is decoration.
                let settings = DrawSettings::unhinted(Size::unscaled(), LocationRef::default());
                let _ = glyph.draw(settings, &mut pen);
            }
        }
        self.op(b"f");
    }
}

/// Writes a glyph outline as path operators, cubic curves for TrueType's quadratics.
struct Pen<'a> {
    out: &'a mut Vec<u8>,
    scale: f32,
    dx: f32,
    last: (f32, f32),
}

impl Pen<'_> {
    fn point(&mut self, x: f32, y: f32) {
        push_num(self.out, self.dx + x * self.scale, 2);
        self.out.push(b' ');
        push_num(self.out, y * self.scale, 2);
        self.out.push(b' ');
    }
}

impl skrifa::outline::OutlinePen for Pen<'_> {
    fn move_to(&mut self, x: f32, y: f32) {
        self.point(x, y);
        self.out.extend_from_slice(b"m\n");
        self.last = (x, y);
    }

    fn line_to(&mut self, x: f32, y: f32) {
        self.point(x, y);
        self.out.extend_from_slice(b"l\n");
        self.last = (x, y);
    }

    fn quad_to(&mut self, cx: f32, cy: f32, x: f32, y: f32) {
        let (x0, y0) = self.last;
        let c1 = (x0 + 2.0 / 3.0 * (cx - x0), y0 + 2.0 / 3.0 * (cy - y0));
        let c2 = (x + 2.0 / 3.0 * (cx - x), y + 2.0 / 3.0 * (cy - y));
        self.curve_to(c1.0, c1.1, c2.0, c2.1, x, y);
    }

    fn curve_to(&mut self, cx0: f32, cy0: f32, cx1: f32, cy1: f32, x: f32, y: f32) {
        self.point(cx0, cy0);
        self.point(cx1, cy1);
        self.point(x, y);
        self.out.extend_from_slice(b"c\n");
        self.last = (x, y);
    }

    fn close(&mut self) {
        self.out.extend_from_slice(b"h\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(v: f32, decimals: u32) -> String {
        let mut buf = Vec::new();
        push_num(&mut buf, v, decimals);
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn numbers_are_short_and_exact_to_their_decimals() {
        assert_eq!(num(0.0, 3), "0");
        assert_eq!(num(72.0, 3), "72");
        assert_eq!(num(-0.5, 3), "-0.5");
        assert_eq!(num(83.355125, 3), "83.355");
        assert_eq!(num(0.0049, 2), "0");
        assert_eq!(num(-37.109375, 2), "-37.11");
        assert_eq!(num(1.05, 2), "1.05");
        assert_eq!(num(0.43137255, 3), "0.431");
        assert_eq!(num(10.001, 3), "10.001");
        assert_eq!(num(0.05, 3), "0.05");
        assert_eq!(num(1234567.0, 2), "1234567");
    }

    #[test]
    fn glyph_codes_that_are_delimiters_are_escaped() {
        let mut w = ContentWriter::new(0);
        w.show([(0x2829, 0.0), (0x5c0d, 0.0)].into_iter());
        assert_eq!(w.buf, b"[(\\(\\)\\\\\\r)]TJ\n");
    }

    #[test]
    fn adjustments_carry_their_rounding() {
        let mut w = ContentWriter::new(0);
        w.show([(1, 0.004), (2, 0.004), (3, 0.004)].into_iter());
        assert_eq!(w.buf, b"[(\0\x01\0\x02)0.01(\0\x03)]TJ\n");
    }
}
