//! The arena AST: one struct of flat vectors, filled by the grammar's actions. Every
//! name is a slice of the source; a grant's lists are ranges into the shared vectors.

use std::ops::Range;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Excl {
    #[default]
    NonExclusive,
    Exclusive,
    Sole,
}

/// `territory …` of a grant: `[codes]`, a group (plus codes), `worldwide` (except codes).
#[derive(Clone, Copy, Debug, Default)]
pub struct Terr<'s> {
    pub worldwide: bool,
    pub group: Option<&'s str>,
    /// How many codes the grammar appended to [`Ast::names`] for this territory; made a
    /// range by [`Ast::grant`].
    pub codes: u32,
    pub except: bool,
}

/// `term …` as written: a start (or the agreement's effective date), and an end or a
/// number of years.
#[derive(Clone, Copy, Debug, Default)]
pub struct TermSpec<'s> {
    pub start: Option<&'s str>,
    pub end: Option<&'s str>,
    pub years: &'s str,
}

/// The grant being parsed: its attributes are reduced before the grant itself.
#[derive(Clone, Debug, Default)]
pub struct Pending<'s> {
    pub assets: Range<u32>,
    pub all_fields: bool,
    pub fields: Range<u32>,
    pub except_fields: Range<u32>,
    pub terr: Terr<'s>,
    /// Where this grant's territory codes end in [`Ast::names`].
    pub terr_end: u32,
    pub term: TermSpec<'s>,
    pub excl: Excl,
}

#[derive(Clone, Debug)]
pub struct GrantDecl<'s> {
    pub id: &'s str,
    pub licensor: &'s str,
    pub licensee: &'s str,
    /// Into [`Ast::names`].
    pub assets: Range<u32>,
    pub all_fields: bool,
    /// Into [`Ast::paths`].
    pub fields: Range<u32>,
    pub except_fields: Range<u32>,
    pub terr: Terr<'s>,
    /// The territory's codes, into [`Ast::names`].
    pub codes: Range<u32>,
    pub term: TermSpec<'s>,
    pub excl: Excl,
}

pub struct FieldDecl<'s> {
    pub name: &'s str,
    pub parent: u32,
    /// One past the last node of this node's subtree (pre-order).
    pub end: u32,
}

pub struct AssetDecl<'s> {
    pub name: &'s str,
    pub owner: &'s str,
    /// Into [`Ast::patents`].
    pub patents: Range<u32>,
}

pub struct PatentDecl<'s> {
    pub number: &'s str,
    pub expires: &'s str,
    /// The validated countries (`in [..]`), into [`Ast::names`].
    pub countries: Option<Range<u32>>,
}

pub const NO_PARENT: u32 = u32::MAX;

#[derive(Default)]
pub struct Ast<'s> {
    pub effective: &'s str,
    pub parties: Vec<&'s str>,
    /// The field tree in pre-order.
    pub fields: Vec<FieldDecl<'s>>,
    open: Vec<u32>,
    pub groups: Vec<(&'s str, Range<u32>)>,
    pub assets: Vec<AssetDecl<'s>>,
    pub patents: Vec<PatentDecl<'s>>,
    /// Where the patents not yet given to an asset start.
    patents_start: u32,
    pub grants: Vec<GrantDecl<'s>>,
    pub cur: Pending<'s>,
    /// Every list of names (asset lists, country codes), one after another.
    pub names: Vec<&'s str>,
    /// Every field path a grant names, one after another.
    pub paths: Vec<&'s str>,
}

fn tail(len: usize, count: u32) -> Range<u32> {
    let end = len as u32;
    end.saturating_sub(count)..end
}

impl<'s> Ast<'s> {
    pub fn group(&mut self, name: &'s str, count: u32) {
        let r = tail(self.names.len(), count);
        self.groups.push((name, r));
    }

    pub fn field_leaf(&mut self, name: &'s str) {
        let parent = self.open.last().copied().unwrap_or(NO_PARENT);
        let end = self.fields.len() as u32 + 1;
        self.fields.push(FieldDecl { name, parent, end });
    }

    pub fn field_open(&mut self, name: &'s str) {
        self.field_leaf(name);
        self.open.push(self.fields.len() as u32 - 1);
    }

    pub fn field_close(&mut self) {
        let end = self.fields.len() as u32;
        if let Some(node) = self
            .open
            .pop()
            .and_then(|i| self.fields.get_mut(i as usize))
        {
            node.end = end;
        }
    }

    pub fn patent(&mut self, number: &'s str, expires: &'s str, countries: Option<u32>) {
        let countries = countries.map(|c| tail(self.names.len(), c));
        self.patents.push(PatentDecl {
            number,
            expires,
            countries,
        });
    }

    pub fn asset(&mut self, name: &'s str, owner: &'s str) {
        let end = self.patents.len() as u32;
        self.assets.push(AssetDecl {
            name,
            owner,
            patents: self.patents_start..end,
        });
        self.patents_start = end;
    }

    pub fn cur_assets(&mut self, count: u32) {
        self.cur.assets = tail(self.names.len(), count);
    }

    pub fn cur_field(&mut self, all: bool, include: u32, except: u32) {
        let len = self.paths.len() as u32;
        let except_start = len.saturating_sub(except);
        self.cur.all_fields = all;
        self.cur.fields = except_start.saturating_sub(include)..except_start;
        self.cur.except_fields = except_start..len;
    }

    pub fn set_terr(&mut self, t: Terr<'s>) {
        self.cur.terr = t;
        self.cur.terr_end = self.names.len() as u32;
    }

    pub fn grant(&mut self, id: &'s str, licensor: &'s str, licensee: &'s str) {
        let p = std::mem::take(&mut self.cur);
        let codes = p.terr_end.saturating_sub(p.terr.codes)..p.terr_end;
        self.grants.push(GrantDecl {
            id,
            licensor,
            licensee,
            assets: p.assets,
            all_fields: p.all_fields,
            fields: p.fields,
            except_fields: p.except_fields,
            terr: p.terr,
            codes,
            term: p.term,
            excl: p.excl,
        });
    }
}
