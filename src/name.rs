//! Names: the text of an identifier, shared. A [`Name`] is a reference-counted string
//! (16 bytes, no heap block of its own once interned): the parser interns every name
//! of a file ([`Names`]), so the thousand mentions of a party or an asset share one
//! block, and cloning a name into the model is a count, not a copy. Reading it is
//! free ([`Name::as_str`], or through `Deref<Target = str>`).
//!
//! Equality, order and hashing are those of the text, so a name compares equal to the
//! same text interned elsewhere (another file, another compilation, or not interned).

use foldhash::HashSet;
use std::borrow::Borrow;
use std::cell::RefCell;
use std::fmt;
use std::sync::Arc;

#[derive(Clone, Default)]
pub struct Name(Arc<str>);

impl Name {
    /// A name of its own (not shared with any other): for names made outside a parse.
    pub fn new(text: &str) -> Name {
        Name(Arc::from(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for Name {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Name {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for Name {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl PartialEq for Name {
    fn eq(&self, other: &Name) -> bool {
        Arc::ptr_eq(&self.0, &other.0) || *self.0 == *other.0
    }
}

impl Eq for Name {}

impl PartialOrd for Name {
    fn partial_cmp(&self, other: &Name) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Name {
    fn cmp(&self, other: &Name) -> std::cmp::Ordering {
        self.0.cmp(&other.0)
    }
}

impl std::hash::Hash for Name {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.hash(state)
    }
}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for Name {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<Name> for str {
    fn eq(&self, other: &Name) -> bool {
        self == &*other.0
    }
}

impl PartialEq<Name> for &str {
    fn eq(&self, other: &Name) -> bool {
        *self == &*other.0
    }
}

impl PartialEq<Name> for String {
    fn eq(&self, other: &Name) -> bool {
        **self == *other.0
    }
}

/// Formats as the text would (`"acme"` with `{:?}`), so debug output is unchanged.
impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&*self.0, f)
    }
}

impl From<&str> for Name {
    fn from(text: &str) -> Name {
        Name::new(text)
    }
}

impl From<String> for Name {
    fn from(text: String) -> Name {
        Name(Arc::from(text))
    }
}

impl From<Name> for String {
    fn from(name: Name) -> String {
        name.0.to_string()
    }
}

/// The names of one parse: each distinct text is allocated once, and every later
/// mention shares it. Dropped with the parser, so nothing outlives the trees it built.
#[derive(Debug, Default)]
pub struct Names {
    set: RefCell<HashSet<Arc<str>>>,
}

impl Names {
    pub fn intern(&self, text: &str) -> Name {
        let mut set = self.set.borrow_mut();
        if let Some(shared) = set.get(text) {
            return Name(Arc::clone(shared));
        }
        let shared: Arc<str> = Arc::from(text);
        set.insert(Arc::clone(&shared));
        Name(shared)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interned_names_share_their_text_and_compare_by_it() {
        let names = Names::default();
        let a = names.intern("acme");
        let b = names.intern("acme");
        assert!(Arc::ptr_eq(&a.0, &b.0), "one block for one text");
        assert_eq!(
            a,
            Name::new("acme"),
            "equal to the same text made elsewhere"
        );
        assert_ne!(a, names.intern("globex"));
        assert!(a < names.intern("globex"));
        assert_eq!(a, "acme");
        assert_eq!(format!("{a:?} {a}"), "\"acme\" acme");
        assert_eq!(std::mem::size_of::<Name>(), 16);
    }
}
