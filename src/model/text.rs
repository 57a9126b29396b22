//! A text value read from YAML: a range of its file's text when it is written there as it
//! reads, else its own decoded copy.
//!
//! Most values of a go-to-market file (ids, names, references, one-line texts) read exactly
//! as written, so keeping a range of the shared file text instead of a copy saves an
//! allocation per value, which is most of the memory a large project's texts take.

use crate::source::SharedText;
use std::fmt;
use std::ops::Deref;

/// A text value: `start..end` of `text`, which is either the whole file (a value written as
/// it reads) or the decoded value alone (escapes resolved, lines folded).
///
/// As wide as a boxed string: one pointer and two offsets.
#[derive(Clone)]
pub struct Text {
    text: SharedText,
    start: u32,
    end: u32,
}

impl Text {
    /// `value` as a range of `file`, when `value` is a slice of `file`'s own text; `None`
    /// when it is not (a decoded value, or text from elsewhere).
    pub(crate) fn within(file: &SharedText, value: &str) -> Option<Text> {
        let start = (value.as_ptr() as usize).checked_sub(file.as_ptr() as usize)?;
        let end = start.checked_add(value.len())?;
        let slice = file.get(start..end)?;
        if !std::ptr::eq(slice.as_ptr(), value.as_ptr()) {
            return None;
        }
        Some(Text {
            text: file.clone(),
            start: u32::try_from(start).ok()?,
            end: u32::try_from(end).ok()?,
        })
    }

    /// Whether the text is kept as a range of `file`, not as a copy.
    #[cfg(test)]
    pub(crate) fn is_range_of(&self, file: &SharedText) -> bool {
        std::ptr::eq(self.text.as_ptr(), file.as_ptr())
    }

    /// The text as a string slice.
    pub fn as_str(&self) -> &str {
        self.text
            .get(self.start as usize..self.end as usize)
            .unwrap_or("")
    }
}

impl Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl From<String> for Text {
    fn from(value: String) -> Self {
        let end = u32::try_from(value.len()).unwrap_or(u32::MAX);
        Text {
            text: SharedText::from(value),
            start: 0,
            end,
        }
    }
}

impl From<&str> for Text {
    fn from(value: &str) -> Self {
        Text::from(value.to_owned())
    }
}

impl From<Text> for String {
    fn from(value: Text) -> Self {
        value.as_str().to_owned()
    }
}

impl std::borrow::Borrow<str> for Text {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Text {}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        // The length is known without reading the text: most keys compared differ in it.
        self.end.saturating_sub(self.start) as usize == other.len() && self.as_str() == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        *self == **other
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        *self == **other
    }
}

impl PartialOrd for Text {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Text {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl std::hash::Hash for Text {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slice_of_the_file_is_kept_as_a_range_of_it() {
        let file = SharedText::from("id: msg-1\n");
        let value = file.get(4..9).expect("in range");
        let text = Text::within(&file, value).expect("a slice of the file");
        assert_eq!(text.as_str(), "msg-1");
        assert_eq!((text.start, text.end), (4, 9));
    }

    #[test]
    fn text_from_elsewhere_is_not_a_range_of_the_file() {
        let file = SharedText::from("id: msg-1\n");
        let other = String::from("msg-1");
        assert!(Text::within(&file, &other).is_none());
        assert_eq!(Text::from(other).as_str(), "msg-1");
    }

    #[test]
    fn a_text_is_as_wide_as_a_boxed_string() {
        assert_eq!(std::mem::size_of::<Text>(), std::mem::size_of::<Box<str>>());
    }
}
