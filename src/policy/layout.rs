//! A JSON layout for large documents that people still read: objects one member per
//! line, indented by two spaces as usual, but arrays of plain values (strings, numbers,
//! booleans, null) on one line. A policy's lists of country codes, rights and field
//! paths then take one line each instead of one line per element, which makes the
//! file about a third of the size of `serde_json`'s pretty output and keeps every
//! clause's structure visible.
//!
//! The compact policy (issue 19) is read by programs rather than people: there, every
//! object that is an element of a list at a given depth or deeper (an agreement's
//! clauses, an asset's patents) is written on one line of its own, without spaces, so
//! that reading it skips no indentation, while each clause still starts a line.

use serde_json::ser::Formatter;
use std::io::{self, Write};

/// What an open array turned out to hold: not known until its first element starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ArrayLayout {
    Unknown,
    Inline,
    Block,
}

#[derive(Debug, Clone, Copy)]
enum Frame {
    Array(ArrayLayout),
    Object { has_members: bool },
}

/// The formatter; see the module documentation.
#[derive(Debug, Default)]
pub struct CompactArrays {
    /// Each open container (their number is the indentation), and whether it is
    /// written on one line.
    frames: Vec<(Frame, bool)>,
    /// An object that is a list's element, opened inside this many containers or
    /// more, is written on one line with all it holds (`None`: none is).
    one_line_from: Option<usize>,
}

impl CompactArrays {
    pub fn new() -> CompactArrays {
        CompactArrays::default()
    }

    /// The layout of the compact policy: as [`CompactArrays::new`]'s, but every object
    /// that is an element of a list inside `depth` containers or more is on one line.
    pub fn one_line_from(depth: usize) -> CompactArrays {
        CompactArrays {
            one_line_from: Some(depth),
            ..CompactArrays::default()
        }
    }

    /// Whether the innermost open container is written on one line.
    fn flat(&self) -> bool {
        self.frames.last().is_some_and(|&(_, flat)| flat)
    }

    /// Whether a container opening now is written on one line: inside one that is, or
    /// an object that is a list's element deep enough.
    fn opens_flat(&self, object: bool) -> bool {
        self.flat()
            || (object
                && matches!(self.frames.last(), Some((Frame::Array(_), _)))
                && self.one_line_from.is_some_and(|d| self.frames.len() >= d))
    }

    fn newline<W: ?Sized + Write>(&self, w: &mut W) -> io::Result<()> {
        if self.flat() {
            return Ok(());
        }
        w.write_all(b"\n")?;
        for _ in 0..self.frames.len() {
            w.write_all(b"  ")?;
        }
        Ok(())
    }

    /// A plain value starts: an array still waiting for its first element is inline.
    fn plain<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        if let Some((Frame::Array(layout @ ArrayLayout::Unknown), _)) = self.frames.last_mut() {
            *layout = ArrayLayout::Inline;
        }
        Ok(())
    }

    /// An object or array starts: an array still waiting for its first element is laid
    /// out one element per line, starting now.
    fn container<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        if let Some((Frame::Array(layout @ ArrayLayout::Unknown), _)) = self.frames.last_mut() {
            *layout = ArrayLayout::Block;
            self.newline(w)?;
        }
        Ok(())
    }
}

impl Formatter for CompactArrays {
    fn write_null<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.plain(w)?;
        w.write_all(b"null")
    }

    fn write_bool<W: ?Sized + Write>(&mut self, w: &mut W, value: bool) -> io::Result<()> {
        self.plain(w)?;
        w.write_all(if value { b"true" } else { b"false" })
    }

    fn write_i64<W: ?Sized + Write>(&mut self, w: &mut W, value: i64) -> io::Result<()> {
        self.plain(w)?;
        write!(w, "{value}")
    }

    fn write_u64<W: ?Sized + Write>(&mut self, w: &mut W, value: u64) -> io::Result<()> {
        self.plain(w)?;
        write!(w, "{value}")
    }

    fn write_f64<W: ?Sized + Write>(&mut self, w: &mut W, value: f64) -> io::Result<()> {
        self.plain(w)?;
        // Policies hold no floating-point numbers; this is serde_json's own rendering.
        let mut buffer = Vec::new();
        serde_json::ser::CompactFormatter.write_f64(&mut buffer, value)?;
        w.write_all(&buffer)
    }

    fn write_number_str<W: ?Sized + Write>(&mut self, w: &mut W, value: &str) -> io::Result<()> {
        self.plain(w)?;
        w.write_all(value.as_bytes())
    }

    fn begin_string<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.plain(w)?;
        w.write_all(b"\"")
    }

    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.container(w)?;
        let flat = self.opens_flat(false);
        self.frames.push((Frame::Array(ArrayLayout::Unknown), flat));
        w.write_all(b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        if let Some((Frame::Array(ArrayLayout::Block), false)) = self.frames.pop() {
            self.newline(w)?;
        }
        w.write_all(b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        if first {
            return Ok(());
        }
        match self.frames.last() {
            Some((_, true)) => w.write_all(b","),
            Some((Frame::Array(ArrayLayout::Block), _)) => {
                w.write_all(b",")?;
                self.newline(w)
            }
            _ => w.write_all(b", "),
        }
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.container(w)?;
        let flat = self.opens_flat(true);
        self.frames
            .push((Frame::Object { has_members: false }, flat));
        w.write_all(b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        if let Some((Frame::Object { has_members: true }, false)) = self.frames.pop() {
            self.newline(w)?;
        }
        w.write_all(b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        if let Some((Frame::Object { has_members }, _)) = self.frames.last_mut() {
            *has_members = true;
        }
        if !first {
            w.write_all(b",")?;
        }
        self.newline(w)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(if self.flat() { b":" } else { b": " })
    }
}

/// Serialises `value` in this layout, with a final newline.
pub fn to_string<T: serde::Serialize + ?Sized>(value: &T, layout: CompactArrays) -> String {
    let mut out = Vec::with_capacity(4096);
    if write(value, layout, &mut out).is_err() {
        return String::new();
    }
    String::from_utf8(out).unwrap_or_default()
}

/// Writes `value` in this layout, with a final newline, to `w` as it is serialised:
/// the same bytes as [`to_string`], without holding them. Give it a buffered writer.
pub fn write<T: serde::Serialize + ?Sized, W: Write>(
    value: &T,
    layout: CompactArrays,
    mut w: W,
) -> io::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(&mut w, layout);
    value.serialize(&mut ser).map_err(io::Error::from)?;
    w.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn plain_arrays_inline_and_containers_one_per_line() {
        // `json!` objects keep their keys sorted.
        let v = json!({
            "codes": ["DE", "FR"],
            "empty": [],
            "none": {},
            "items": [{"a": 1, "b": [true, null]}, {"a": 2, "b": []}],
            "nested": [[1, 2], [3]],
            "s": "x\"y"
        });
        let expected = r#"{
  "codes": ["DE", "FR"],
  "empty": [],
  "items": [
    {
      "a": 1,
      "b": [true, null]
    },
    {
      "a": 2,
      "b": []
    }
  ],
  "nested": [
    [1, 2],
    [3]
  ],
  "none": {},
  "s": "x\"y"
}
"#;
        assert_eq!(to_string(&v, CompactArrays::new()), expected);
    }

    #[test]
    fn writing_gives_the_bytes_of_to_string() {
        let v = json!({"a": [[{"b": ["c", 1, false]}]], "d": {"e": []}, "f": "g\\h"});
        for layout in [CompactArrays::new, || CompactArrays::one_line_from(2)] {
            let mut out = Vec::new();
            assert!(write(&v, layout(), &mut out).is_ok());
            assert_eq!(
                String::from_utf8(out).unwrap_or_default(),
                to_string(&v, layout())
            );
        }
    }

    #[test]
    fn the_layout_reads_back_as_the_same_value() {
        let v = json!({"a": [[{"b": ["c", 1, 2.5, false]}]], "d": {"e": []}});
        for depth in [None, Some(0), Some(1), Some(2), Some(3)] {
            let layout = depth.map_or_else(CompactArrays::new, CompactArrays::one_line_from);
            let text = to_string(&v, layout);
            let back: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
            assert_eq!(back, v, "{depth:?}: {text}");
        }
    }

    /// The compact policy's layout: a deep enough list's objects each on one line,
    /// without spaces; the rest as before.
    #[test]
    fn deep_list_elements_on_one_line_each() {
        let v = json!({
            "agreements": [{
                "grants": [{"id": "g1", "rights": ["make", "use"], "term": {"start": "2026"}},
                           {"id": "g2", "rights": [], "notes": [{"a": 1}]}],
                "term": {"start": "2026"}
            }],
            "parties": [{"id": "p"}]
        });
        let expected = r#"{
  "agreements": [
    {
      "grants": [
        {"id":"g1","rights":["make","use"],"term":{"start":"2026"}},
        {"id":"g2","notes":[{"a":1}],"rights":[]}
      ],
      "term": {
        "start": "2026"
      }
    }
  ],
  "parties": [
    {
      "id": "p"
    }
  ]
}
"#;
        assert_eq!(to_string(&v, CompactArrays::one_line_from(4)), expected);
    }
}
