//! What every name in the source refers to, as resolution bound it: one table of
//! bindings (a reference's span → the declaration it names), recorded while the
//! names are looked up, so that nothing else (the editor's navigation, hover,
//! references and rename) binds names a second time.
//!
//! A binding is recorded where a name is bound, never where it is only tried (the
//! quiet look-ups that collect an agreement's parties, or find a word's other
//! meaning for a message), so a name bound to nothing is one resolution reported
//! (E0101, or E0306 for a sunset's grant). Names in a territory expression that are
//! not declared groups (ISO codes, `EU`, `EEA`) are recorded as places.

use crate::source::{FileId, Span};
use std::cell::RefCell;

/// What a binding's declaration declares (the namespace it was found in).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DeclKind {
    /// A party or an affiliate.
    Party,
    Asset,
    /// A field node (a root, or the child a path's segment names).
    Field,
    /// A territory group.
    Group,
    /// A grant: of the agreement (a sunset's grant, `subject to`), or the one grant
    /// of that id in another agreement (`subject to`, bound by the rights ledger).
    Grant,
    /// A named reservation (`subject to`).
    Reservation,
    // reach (issue 15/20): standards in navigation
    /// A technical standard (`standard aurora "…"`), named by an asset's `essential
    /// to` and a grant's `for standard`.
    Standard,
}

/// One reference bound to its declaration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Binding {
    /// The name as written where it is used.
    pub reference: Span,
    pub kind: DeclKind,
    /// The declaration, as the model keeps its span: the declaring identifier of a
    /// party, affiliate, asset, field node or group (`PartyDecl::span`, …), the whole
    /// clause of a grant or a reservation (`GrantModel::span`,
    /// `ReservationModel::span`). Its `file` is the declaring file.
    pub decl: Span,
}

/// A name in a territory expression that is not a declared group: an ISO code or a
/// built-in group (`EU`, `EEA`), valid or not.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Place {
    pub span: Span,
    pub name: String,
}

/// Every binding of one compilation, sorted by the reference's file and position.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bindings {
    list: Vec<Binding>,
    places: Vec<Place>,
}

impl Bindings {
    /// Sorts and deduplicates (a name looked up twice is bound once).
    pub fn new(mut list: Vec<Binding>, mut places: Vec<Place>) -> Bindings {
        list.sort();
        list.dedup();
        places.sort();
        places.dedup();
        Bindings { list, places }
    }

    /// Adds bindings made after resolution (the rights ledger's `subject to` grants).
    pub fn extend(&mut self, more: impl IntoIterator<Item = Binding>) {
        let (list, places) = (
            std::mem::take(&mut self.list),
            std::mem::take(&mut self.places),
        );
        *self = Bindings::new(list.into_iter().chain(more).collect(), places);
    }

    /// Every binding, sorted by reference.
    pub fn all(&self) -> &[Binding] {
        &self.list
    }

    /// The undeclared territory names, sorted by position.
    pub fn places(&self) -> &[Place] {
        &self.places
    }

    /// The bindings of the references in one file.
    pub fn in_file(&self, file: FileId) -> &[Binding] {
        let start = self.list.partition_point(|b| b.reference.file < file);
        let end = self.list.partition_point(|b| b.reference.file <= file);
        self.list.get(start..end).unwrap_or(&[])
    }

    /// The binding of the reference that is exactly `span`.
    pub fn of(&self, span: Span) -> Option<&Binding> {
        self.in_file(span.file).iter().find(|b| b.reference == span)
    }
}

/// Collects the bindings while resolution looks names up (views are shared and
/// `Copy`, so the sink is behind a shared reference).
#[derive(Debug, Default)]
pub struct Recorder {
    list: RefCell<Vec<Binding>>,
    places: RefCell<Vec<Place>>,
    /// Records nothing (a compilation no one navigates: [`crate::resolve::resolve`]).
    off: bool,
}

impl Recorder {
    /// A recorder that keeps nothing.
    pub fn off() -> Recorder {
        Recorder {
            off: true,
            ..Recorder::default()
        }
    }

    /// Records that `reference` names the declaration `decl`.
    pub fn bind(&self, reference: Span, kind: DeclKind, decl: Span) {
        if self.off {
            return;
        }
        self.list.borrow_mut().push(Binding {
            reference,
            kind,
            decl,
        });
    }

    /// Records a territory name that is not a declared group.
    pub fn place(&self, span: Span, name: &str) {
        if self.off {
            return;
        }
        self.places.borrow_mut().push(Place {
            span,
            name: name.to_string(),
        });
    }

    /// How much was recorded so far (see [`Recorder::since`]).
    pub fn mark(&self) -> (usize, usize) {
        (self.list.borrow().len(), self.places.borrow().len())
    }

    /// What was recorded after `mark`.
    pub fn since(&self, mark: (usize, usize)) -> (Vec<Binding>, Vec<Place>) {
        let list = self.list.borrow();
        let places = self.places.borrow();
        (
            list.get(mark.0..).unwrap_or_default().to_vec(),
            places.get(mark.1..).unwrap_or_default().to_vec(),
        )
    }

    /// Records again what a kept lowering recorded.
    pub fn replay(&self, list: &[Binding], places: &[Place]) {
        self.list.borrow_mut().extend_from_slice(list);
        self.places.borrow_mut().extend_from_slice(places);
    }

    /// The table of what was recorded.
    pub fn finish(self) -> Bindings {
        Bindings::new(self.list.into_inner(), self.places.into_inner())
    }
}
