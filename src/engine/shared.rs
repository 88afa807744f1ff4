//! [`SharedText`]: the engine's one immutable, shareable string: a fixed phrase or text written
//! once and shared, so that handing it from the paragraph cache to a new analysis, or from one
//! analysis to the next, copies no bytes and allocates nothing. Dates use it for their TIMEX3
//! values and explanations, quotations for their words and speakers' names, findings for
//! their messages ([`super::checks::Message`]).

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::fmt;
use std::sync::Arc;

use serde::Serialize;

/// A fixed `&'static str` or a shared `Arc<str>`; it derefs to `str` and compares, hashes,
/// prints and serialises as its text.
#[derive(Clone)]
pub enum SharedText {
    Fixed(&'static str),
    Shared(Arc<str>),
}

impl SharedText {
    /// A fixed phrase (no allocation).
    pub const fn fixed(text: &'static str) -> SharedText {
        SharedText::Fixed(text)
    }

    /// A shared copy of `text` (one allocation), for text that is not `'static`.
    pub fn copy(text: &str) -> SharedText {
        SharedText::Shared(Arc::from(text))
    }

    /// The text, formatted: a fixed phrase when `args` has no arguments, else written once
    /// (through a reused buffer, so the only allocation is the shared text itself).
    pub fn format(args: fmt::Arguments<'_>) -> SharedText {
        if let Some(s) = args.as_str() {
            return SharedText::Fixed(s);
        }
        SharedText::build(|buf| {
            let _ = fmt::Write::write_fmt(buf, args);
        })
    }

    /// The text `write` appends to an empty buffer (a reused one, so the only allocation is
    /// the shared text itself).
    pub fn build(write: impl FnOnce(&mut String)) -> SharedText {
        thread_local! {
            static BUF: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
        }
        BUF.with(|buf| match buf.try_borrow_mut() {
            Ok(mut buf) => {
                buf.clear();
                write(&mut buf);
                SharedText::Shared(Arc::from(buf.as_str()))
            }
            Err(_) => {
                let mut own = String::new();
                write(&mut own);
                SharedText::from(own)
            }
        })
    }

    pub fn as_str(&self) -> &str {
        match self {
            SharedText::Fixed(s) => s,
            SharedText::Shared(s) => s,
        }
    }
}

/// `SharedText::format(format_args!(…))`.
macro_rules! shared_text {
    ($($arg:tt)*) => {
        $crate::engine::shared::SharedText::format(format_args!($($arg)*))
    };
}
pub(crate) use shared_text;

impl Default for SharedText {
    fn default() -> Self {
        SharedText::Fixed("")
    }
}

impl std::ops::Deref for SharedText {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for SharedText {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl From<&'static str> for SharedText {
    fn from(s: &'static str) -> Self {
        SharedText::Fixed(s)
    }
}

impl From<String> for SharedText {
    fn from(s: String) -> Self {
        SharedText::Shared(Arc::from(s))
    }
}

impl From<Arc<str>> for SharedText {
    fn from(s: Arc<str>) -> Self {
        SharedText::Shared(s)
    }
}

impl From<&SharedText> for String {
    fn from(s: &SharedText) -> Self {
        s.as_str().to_string()
    }
}

impl From<SharedText> for String {
    fn from(s: SharedText) -> Self {
        s.as_str().to_string()
    }
}

impl Borrow<str> for SharedText {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for SharedText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl fmt::Debug for SharedText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl PartialEq for SharedText {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for SharedText {}

impl std::hash::Hash for SharedText {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl PartialEq<str> for SharedText {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for SharedText {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for SharedText {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<SharedText> for String {
    fn eq(&self, other: &SharedText) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<SharedText> for str {
    fn eq(&self, other: &SharedText) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<SharedText> for &str {
    fn eq(&self, other: &SharedText) -> bool {
        *self == other.as_str()
    }
}

impl PartialOrd for SharedText {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for SharedText {
    fn cmp(&self, other: &Self) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl Serialize for SharedText {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_without_arguments_shared_with() {
        assert!(matches!(
            shared_text!("a date"),
            SharedText::Fixed("a date")
        ));
        let n = 3;
        let t = shared_text!("{n} days before {}", "x");
        assert!(matches!(t, SharedText::Shared(_)));
        assert_eq!(t, "3 days before x");
        assert_eq!(format!("{t:?}"), format!("{:?}", "3 days before x"));
        assert_eq!(serde_json::to_string(&t).unwrap(), "\"3 days before x\"");
    }
}
