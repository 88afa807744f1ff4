//! [`SharedText`]: the engine's one immutable, shareable string: a fixed phrase, a short text
//! held inline or a long text written once and shared, so that handing it from the paragraph
//! cache to a new analysis, or from one analysis to the next, allocates nothing (and a short
//! text, most names and dates' values, is never allocated at all). Dates use it for their TIMEX3
//! values and explanations, quotations for their words and speakers' names, findings for
//! their messages ([`super::checks::Message`]).
//!
//! [`SharedVec`]: a document-wide list of an analysis (entities, dates, events, source
//! phrases) shared with the cache that made it, so that a keystroke hands the list to the new
//! analysis without copying it, and the next keystroke updates it in place once the previous
//! analysis is dropped.

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::fmt;
use std::sync::Arc;

use serde::Serialize;
use smol_str::SmolStr;

/// A fixed `&'static str`, a short text held inline (up to [`SharedText::INLINE_MAX`] bytes:
/// most names, dates' values and short messages), or a shared `Arc<str>`; it derefs to `str`
/// and compares, hashes, prints and serialises as its text. Only a long text that is not
/// `'static` allocates, once; a clone never does.
#[derive(Clone, Default)]
pub struct SharedText(SmolStr);

impl SharedText {
    /// The longest text held inline, without an allocation.
    pub const INLINE_MAX: usize = SmolStr::INLINE_CAP;

    /// A fixed phrase (no allocation).
    pub const fn fixed(text: &'static str) -> SharedText {
        SharedText(SmolStr::new_static(text))
    }

    /// A copy of `text`: inline if it is short, else shared (one allocation).
    pub fn copy(text: &str) -> SharedText {
        SharedText(SmolStr::new(text))
    }

    /// The text, formatted: a fixed phrase when `args` has no arguments, else written once
    /// (through a reused buffer, so the only allocation is that of a long text).
    pub fn format(args: fmt::Arguments<'_>) -> SharedText {
        if let Some(s) = args.as_str() {
            return SharedText::fixed(s);
        }
        SharedText::build(|buf| {
            let _ = fmt::Write::write_fmt(buf, args);
        })
    }

    /// The text `write` appends to an empty buffer (a reused one, so the only allocation is
    /// that of a long text).
    pub fn build(write: impl FnOnce(&mut String)) -> SharedText {
        thread_local! {
            static BUF: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
        }
        BUF.with(|buf| match buf.try_borrow_mut() {
            Ok(mut buf) => {
                buf.clear();
                write(&mut buf);
                SharedText::copy(&buf)
            }
            Err(_) => {
                let mut own = String::new();
                write(&mut own);
                SharedText::from(own)
            }
        })
    }

    /// Whether the text took an allocation of its own (a long text that is not `'static`).
    pub fn is_allocated(&self) -> bool {
        self.0.is_heap_allocated()
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

/// `SharedText::format(format_args!(…))`.
macro_rules! shared_text {
    ($($arg:tt)*) => {
        $crate::engine::shared::SharedText::format(format_args!($($arg)*))
    };
}
pub(crate) use shared_text;

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
        SharedText::fixed(s)
    }
}

impl From<String> for SharedText {
    fn from(s: String) -> Self {
        SharedText(SmolStr::from(s))
    }
}

/// Shares `s` if it is long; a short text is copied inline.
impl From<Arc<str>> for SharedText {
    fn from(s: Arc<str>) -> Self {
        SharedText(SmolStr::from(s))
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

/// A list shared between an [`Analysis`](super::Analysis) and the [`Analyzer`](super::Analyzer)
/// cache that made it (an `Arc<Vec<T>>`): cloning one copies no element. It derefs to the
/// `Vec`, and prints, compares and serialises as the `Vec`. Mutable access
/// ([`std::ops::DerefMut`], [`SharedVec::make_mut`]) is copy-on-write: it mutates in place
/// while no other clone holds the list (the cache after the previous analysis was dropped),
/// and copies the list first otherwise, so a clone never sees another's changes.
pub struct SharedVec<T>(Arc<Vec<T>>);

impl<T> SharedVec<T> {
    /// Whether `self` and `other` are the same list (clones of one another, not merely equal).
    pub fn ptr_eq(&self, other: &SharedVec<T>) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl<T: Clone> SharedVec<T> {
    /// The list, to change: the shared one if nothing else holds it, else a copy made first
    /// ([`Arc::make_mut`]).
    pub fn make_mut(&mut self) -> &mut Vec<T> {
        Arc::make_mut(&mut self.0)
    }
}

impl<T> Clone for SharedVec<T> {
    fn clone(&self) -> SharedVec<T> {
        SharedVec(Arc::clone(&self.0))
    }
}

impl<T> Default for SharedVec<T> {
    fn default() -> SharedVec<T> {
        SharedVec(Arc::new(Vec::new()))
    }
}

impl<T> From<Vec<T>> for SharedVec<T> {
    fn from(v: Vec<T>) -> SharedVec<T> {
        SharedVec(Arc::new(v))
    }
}

impl<T> std::ops::Deref for SharedVec<T> {
    type Target = Vec<T>;
    fn deref(&self) -> &Vec<T> {
        &self.0
    }
}

impl<T: Clone> std::ops::DerefMut for SharedVec<T> {
    /// Copy-on-write, as [`SharedVec::make_mut`].
    fn deref_mut(&mut self) -> &mut Vec<T> {
        self.make_mut()
    }
}

impl<'a, T> IntoIterator for &'a SharedVec<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl<'a, T: Clone> IntoIterator for &'a mut SharedVec<T> {
    type Item = &'a mut T;
    type IntoIter = std::slice::IterMut<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.make_mut().iter_mut()
    }
}

impl<T: fmt::Debug> fmt::Debug for SharedVec<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.as_slice().fmt(f)
    }
}

impl<T: PartialEq> PartialEq for SharedVec<T> {
    fn eq(&self, other: &SharedVec<T>) -> bool {
        self.0 == other.0
    }
}

impl<T: Eq> Eq for SharedVec<T> {}

impl<T: PartialEq> PartialEq<Vec<T>> for SharedVec<T> {
    fn eq(&self, other: &Vec<T>) -> bool {
        *self.0 == *other
    }
}

impl<T: Serialize> Serialize for SharedVec<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.as_slice().serialize(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_without_arguments_inline_when_short_shared_when_long() {
        let fixed = shared_text!("a date that is longer than the inline room");
        assert!(!fixed.is_allocated());
        assert_eq!(
            fixed.as_str().as_ptr(),
            "a date that is longer than the inline room".as_ptr(),
            "a fixed phrase is not copied"
        );
        let n = 3;
        let t = shared_text!("{n} days before {}", "x");
        assert!(!t.is_allocated(), "{} bytes fit inline", t.len());
        assert_eq!(t, "3 days before x");
        assert_eq!(format!("{t:?}"), format!("{:?}", "3 days before x"));
        assert_eq!(serde_json::to_string(&t).unwrap(), "\"3 days before x\"");
        let long = shared_text!("{n} days before {}", "the opening of the new session");
        assert!(long.is_allocated());
        let clone = long.clone();
        assert_eq!(
            clone.as_str().as_ptr(),
            long.as_str().as_ptr(),
            "a clone shares"
        );
        assert_eq!(clone, "3 days before the opening of the new session");
        // Inline, fixed and shared texts of the same words are equal and hash alike.
        let exact = "x".repeat(SharedText::INLINE_MAX);
        let over = "x".repeat(SharedText::INLINE_MAX + 1);
        for text in [exact, over] {
            let a = SharedText::copy(&text);
            let b = SharedText::from(Arc::<str>::from(text.as_str()));
            let c = SharedText::fixed(Box::leak(text.clone().into_boxed_str()));
            assert_eq!(a.is_allocated(), text.len() > SharedText::INLINE_MAX);
            let set: std::collections::HashSet<SharedText> = [a, b, c].into_iter().collect();
            assert_eq!(set.len(), 1);
            assert!(set.contains(text.as_str()));
        }
    }

    /// A shared list changes in place while nothing else holds it, and is copied first when
    /// a clone does (the clone keeps what it had); it prints and serialises as its `Vec`.
    #[test]
    fn shared_vec_is_copy_on_write() {
        let mut cache = SharedVec::from(vec![1, 2, 3]);
        let before = std::ptr::from_ref::<Vec<i32>>(&cache);
        cache.make_mut().push(4);
        assert_eq!(std::ptr::from_ref::<Vec<i32>>(&cache), before);
        let analysis = cache.clone();
        assert!(analysis.ptr_eq(&cache));
        for x in &mut cache {
            *x += 10;
        }
        assert!(!analysis.ptr_eq(&cache));
        assert_eq!(analysis, vec![1, 2, 3, 4]);
        assert_eq!(cache, vec![11, 12, 13, 14]);
        let held = cache.clone();
        drop(held);
        let unique = std::ptr::from_ref::<Vec<i32>>(&cache);
        cache.push(15);
        assert_eq!(std::ptr::from_ref::<Vec<i32>>(&cache), unique);
        assert_eq!(
            format!("{cache:?}"),
            format!("{:?}", vec![11, 12, 13, 14, 15])
        );
        assert_eq!(serde_json::to_string(&analysis).unwrap(), "[1,2,3,4]");
        assert_eq!((&analysis).into_iter().sum::<i32>(), 10);
    }
}
