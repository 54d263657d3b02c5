//! Article 1: the definitions (the parties' affiliates, the licensed assets with their
//! patents, the fields of use, the territories too long for a sentence).

use super::*;
use crate::date::Date;
use crate::emit::prose::doc::*;
use crate::model::{AssetId, FieldId, FieldSet};
use crate::source::Span;
use crate::territory::TerritorySet;
use crate::text::*;
use crate::vocab::{AssetKind, Origin};

impl Builder<'_, '_> {
    // ---------------------------------------------------------------- Article 1

    pub(super) fn definitions(
        &mut self,
        art: usize,
        has_affiliates: bool,
        assets: &[AssetId],
    ) -> Vec<Clause> {
        let model = self.model;
        let a = self.a;
        let mut out = Vec::new();
        let mut n = 0;
        if has_affiliates {
            n += 1;
            let mut t = Text::new();
            t.push("\"");
            t.term("Affiliate");
            // terms (issue 15): a party with `affiliates by control` has, besides the
            // companies named, every entity so related to it.
            let by_control = a
                .contracting
                .iter()
                .any(|p| model.party(*p).is_some_and(|d| d.control.is_some()));
            t.push(if by_control {
                "\" of a Party means, for a Party below whose Affiliates are defined by control, any entity so related to it, \"control\" meaning the direct or indirect ownership of more than fifty percent of the voting interests of an entity or the power to direct its management; and otherwise only the companies named for it below, and no other: "
            } else {
                "\" of a Party means only the companies named for it below, and no other: "
            });
            let mut spans = Vec::new();
            let mut parts = Vec::new();
            for p in &a.contracting {
                let Some(decl) = model.party(*p) else {
                    continue;
                };
                spans.push(decl.span);
                let names: Vec<String> = decl
                    .affiliates
                    .iter()
                    .filter_map(|x| model.party(*x))
                    .map(|x| {
                        spans.push(x.span);
                        x.legal_name.clone()
                    })
                    .collect();
                if let Some(c) = &decl.control {
                    spans.push(c.span);
                    parts.push(self.control_affiliates(*p, c, &names));
                } else if !names.is_empty() {
                    parts.push(format!("for {}, {}", self.short(*p), join_list(&names)));
                }
            }
            let joined = parts.join("; ");
            let stop = if joined.ends_with('.') { "" } else { "." };
            t.push(format!("{joined}{stop}"));
            t.push(" A license extends to a licensee's Affiliates only where its clause says so.");
            let anchor = self.anchor("parties");
            let location = spans.first().map(|s| self.location(*s)).unwrap_or_default();
            out.push(Clause {
                number: format!("{art}.{n}"),
                id: "parties".to_string(),
                anchor,
                location,
                spans,
                blocks: vec![Block::Para(t)],
                subs: Vec::new(),
            });
        }
        for id in assets {
            n += 1;
            if let Some(c) = self.asset_definition(*id) {
                out.push(c);
            }
        }
        if let Some(c) = self.fields_definition(art, &mut n) {
            out.push(c);
        }
        for c in self.territory_definitions(art, &mut n) {
            out.push(c);
        }
        out.extend(self.defined_terms(art, &mut n));
        out
    }

    pub(super) fn asset_definition(&mut self, id: AssetId) -> Option<Clause> {
        let model = self.model;
        let decl = model.asset(id)?;
        let slot = self.asset_clause.get(&id).cloned().unwrap_or_default();
        let owners: Vec<String> = decl.owners.iter().map(|o| self.short(*o)).collect();
        let owned = match owners.len() {
            0 => String::new(),
            1 => format!(" of {}", join_list(&owners)),
            _ => format!(" owned jointly by {}", join_list(&owners)),
        };
        let origin = match decl.origin {
            Some(Origin::Background) => " (background intellectual property)",
            Some(Origin::Foreground) => {
                " (foreground intellectual property, created under this Agreement)"
            }
            None => "",
        };
        let mut t = Text::new();
        t.push("\"");
        t.term(asset_term(decl));
        t.push("\" means ");
        let listed = !decl.patents.is_empty();
        match (decl.kind, decl.capture) {
            (AssetKind::PatentsFiled, Some((from, until))) => {
                let who = if owners.is_empty() {
                    String::new()
                } else {
                    format!(" by {}", join_list(&owners))
                };
                t.push(format!(
                    "every patent and patent application filed{who} from {} up to and including {}, wherever granted{origin}",
                    long_date(from),
                    long_date(last_day(until))
                ));
                t.push(if listed {
                    ", each for its own life, including the following patents:"
                } else {
                    ", each for its own life."
                });
            }
            (AssetKind::Patent, _) if listed => {
                t.push(format!("the patent{owned}{origin} listed below:"));
            }
            (AssetKind::Patent | AssetKind::PatentFamily | AssetKind::PatentsFiled, _)
                if listed =>
            {
                t.push(format!(
                    "the patent family{owned}{origin}, consisting of the following patents:"
                ));
            }
            (AssetKind::Patent | AssetKind::PatentFamily | AssetKind::PatentsFiled, _) => {
                t.push(format!("the patent rights{owned}{origin} designated "));
                t.code(decl.name.clone());
                t.push("; no individual patents are listed, so they are taken to be in force in every country for the whole term of this Agreement.");
            }
            (AssetKind::KnowHow, _) => {
                t.push(format!(
                    "the unpatented technical information{owned}{origin} designated "
                ));
                t.code(decl.name.clone());
                t.push(".");
            }
            (AssetKind::TradeSecret, _) => {
                t.push(format!(
                    "the information{owned}{origin} protected as a trade secret and designated "
                ));
                t.code(decl.name.clone());
                t.push(".");
            }
            (AssetKind::Software, _) => {
                t.push(format!(
                    "the computer program{owned}{origin}, in source and object form, designated "
                ));
                t.code(decl.name.clone());
                t.push(".");
            }
            (AssetKind::Data, _) => {
                t.push(format!("the data set{owned}{origin} designated "));
                t.code(decl.name.clone());
                t.push(".");
            }
        }
        let mut blocks = vec![Block::Para(t)];
        let mut spans = vec![decl.span];
        let count = decl.patents.len();
        for (i, p) in decl.patents.iter().enumerate() {
            spans.push(p.span);
            let letter = letter(i);
            let mut item = format!("({letter}) {}", p.number);
            // rights (issue 15): a pending application is listed as such.
            if p.pending {
                item.push_str(", a pending patent application");
            }
            if let Some(f) = p.filed {
                item.push_str(&format!(", filed on {}", long_date(f)));
            }
            let place = if p.territory == TerritorySet::worldwide() {
                "in every country".to_string()
            } else {
                match countries_words(p.territory) {
                    Some(w) => {
                        let phrase = format!("in {}", w.phrase);
                        self.note_words(Some(w));
                        phrase
                    }
                    None => {
                        self.named_countries.extend(p.territory.codes());
                        format!("in {}", join_list(&country_list(p.territory)))
                    }
                }
            };
            if p.pending {
                item.push_str(&format!(", for {}", place.trim_start_matches("in ")));
                item.push_str(", not in force until a patent is granted on it");
                if let Some(e) = p.expires {
                    item.push_str(&format!(
                        " (once granted, expected to be in force up to and including {})",
                        long_date(last_day(e))
                    ));
                }
            } else {
                item.push_str(&format!(", in force {place}"));
                if let Some(e) = p.expires {
                    item.push_str(&format!(" up to and including {}", long_date(last_day(e))));
                }
            }
            item.push_str(if i + 1 == count { "." } else { ";" });
            blocks.push(Block::Para(Text::plain(item)));
        }
        if decl.patents.iter().any(|p| p.pending) {
            blocks.push(Block::Para(Text::plain(
                "A pending patent application confers no right under this Agreement until a patent is granted on it; the licenses under it take effect, for their remaining term, when it is granted.",
            )));
        }
        // pools (issue 15): the standards it is essential to, and FRAND commitments.
        for e in &decl.essential {
            spans.push(e.span);
            let title = model
                .standards
                .get(e.standard)
                .map_or("?", |s| s.title.as_str());
            let mut line =
                format!("The rights defined in this clause are declared essential to the {title}");
            if e.frand {
                line.push_str(
                    ", and their owner undertakes to license them to every implementer of that standard on fair, reasonable and non-discriminatory (FRAND) terms",
                );
            }
            line.push('.');
            blocks.push(Block::Para(Text::plain(line)));
        }
        for note in &decl.notes {
            blocks.push(Block::Para(Text::plain(note.clone())));
        }
        let span = decl.span;
        Some(Clause {
            number: slot.number,
            id: decl.name.clone(),
            anchor: slot.anchor,
            location: self.location(span),
            spans,
            blocks,
            subs: Vec::new(),
        })
    }

    /// The field nodes the agreement refers to.
    pub(super) fn used_fields(&self) -> (FieldSet, bool) {
        let mut ranges = Vec::new();
        let mut every = false;
        for g in &self.a.grants {
            ranges.extend(g.field_include.ranges.iter().copied());
            ranges.extend(g.field_exclude.ranges.iter().copied());
        }
        for r in &self.a.reservations {
            if r.all_fields {
                every = true;
            } else {
                ranges.extend(r.fields.ranges.iter().copied());
            }
        }
        (FieldSet::from_ranges(ranges), every)
    }

    pub(super) fn fields_definition(&mut self, art: usize, n: &mut usize) -> Option<Clause> {
        let forest = &self.model.fields;
        let (used, every) = self.used_fields();
        if used.is_empty() && !every {
            return None;
        }
        // Show every tree that the agreement touches, whole.
        let mut roots: Vec<FieldId> = Vec::new();
        for (i, node) in forest.nodes.iter().enumerate() {
            let Ok(i) = u32::try_from(i) else { break };
            if node.parent.is_none()
                && !node.implicit
                && (every
                    || !used
                        .intersection(&FieldSet::from_ranges(vec![(i, node.end)]))
                        .is_empty())
            {
                roots.push(FieldId(i));
            }
        }
        if roots.is_empty() {
            return None;
        }
        *n += 1;
        let mut intro = Text::new();
        intro.push("\"");
        intro.term("Fields of Use");
        intro.push("\" means the following fields of use, each identified by the name shown. A reference to the Field of a named field of use includes every field listed under it:");
        let mut items = Vec::new();
        let mut spans = Vec::new();
        for root in roots {
            let Some(r) = forest.get(root) else { continue };
            for i in root.0..r.end.max(root.0 + 1) {
                let id = FieldId(i);
                let Some(node) = forest.get(id) else { continue };
                spans.push(node.span);
                let depth = depth_of(forest, id);
                let mut t = Text::new();
                t.push(field_label(forest, id));
                t.push(" (");
                t.code(node.path.clone());
                t.push(")");
                items.push((depth, t));
            }
        }
        let anchor = self.anchor("fields");
        let location = spans.first().map(|s| self.location(*s)).unwrap_or_default();
        Some(Clause {
            number: format!("{art}.{n}"),
            id: "fields".to_string(),
            anchor,
            location,
            spans,
            blocks: vec![Block::Para(intro), Block::Tree(items)],
            subs: Vec::new(),
        })
    }

    pub(super) fn territory_definitions(&mut self, art: usize, n: &mut usize) -> Vec<Clause> {
        let mut out = Vec::new();
        let group_spans: Vec<Span> = self
            .model
            .groups
            .iter()
            .filter(|g| g.span.file == self.a.file)
            .map(|g| g.span)
            .collect();
        if !self.named_countries.is_empty() || self.uses_eu || self.uses_eea {
            *n += 1;
            let mut blocks = Vec::new();
            let mut t = Text::new();
            t.push("Countries are referred to by their short English names. Each name used in this Agreement means the country with the ISO 3166-1 alpha-2 code shown: ");
            let mut codes: Vec<&str> = self.named_countries.iter().copied().collect();
            codes.sort_by_key(|c| country(c));
            let listed: Vec<String> = codes
                .iter()
                .map(|c| format!("{} ({c})", country(c)))
                .collect();
            if listed.is_empty() {
                t.push("none.");
            } else {
                t.push(format!("{}.", join_list(&listed)));
            }
            blocks.push(Block::Para(t));
            let date = crate::iso::MEMBERSHIP_TABLES_DATE;
            let as_of = Date::parse(date)
                .map(long_date)
                .unwrap_or_else(|_| date.to_string());
            if self.uses_eu {
                let mut t = Text::new();
                t.push("\"");
                t.term("European Union");
                t.push(format!(
                    "\" means its member states as of {as_of}: {}.",
                    join_list(&country_list(TerritorySet::eu()))
                ));
                blocks.push(Block::Para(t));
            }
            if self.uses_eea {
                let mut t = Text::new();
                t.push("\"");
                t.term("European Economic Area");
                t.push(format!(
                    "\" means its member states as of {as_of}: {}.",
                    join_list(&country_list(TerritorySet::eea()))
                ));
                blocks.push(Block::Para(t));
            }
            let anchor = self.anchor("territories");
            let location = group_spans
                .first()
                .map(|s| self.location(*s))
                .unwrap_or_else(|| self.location(self.a.span));
            out.push(Clause {
                number: format!("{art}.{n}"),
                id: "territories".to_string(),
                anchor,
                location,
                spans: group_spans.clone(),
                blocks,
                subs: Vec::new(),
            });
        }
        let long = self.long_territories.clone();
        for (set, name, anchor) in long {
            *n += 1;
            let world = TerritorySet::worldwide();
            let missing = world.difference(set);
            let mut t = Text::new();
            t.push("\"");
            t.term(capitalise(name.trim_start_matches("the ")));
            if missing.len() < set.len() {
                t.push(format!(
                    "\" means every country of the world except the following {}: {}.",
                    missing.len(),
                    join_list(&country_list(missing))
                ));
            } else {
                t.push(format!(
                    "\" means the following {} countries: {}.",
                    set.len(),
                    join_list(&country_list(set))
                ));
            }
            out.push(Clause {
                number: format!("{art}.{n}"),
                id: "territories".to_string(),
                anchor,
                location: self.location(self.a.span),
                spans: Vec::new(),
                blocks: vec![Block::Para(t)],
                subs: Vec::new(),
            });
        }
        out
    }
}

impl Builder<'_, '_> {
    /// terms (issue 15): one party's part of the "Affiliate" definition when it says
    /// `affiliates by control`: the kinds of control, the date, the companies named.
    fn control_affiliates(
        &self,
        p: crate::model::PartyId,
        c: &crate::model::ControlDecl,
        named: &[String],
    ) -> String {
        use crate::vocab::ControlKind;
        let who = self.short(p);
        let kinds: Vec<&str> = c
            .kinds
            .iter()
            .map(|k| match k {
                ControlKind::ControlledBy => "is controlled by",
                ControlKind::Controlling => "controls",
                ControlKind::CommonControl => "is under common control with",
            })
            .collect();
        let when = match c.as_of {
            Some(d) => format!("on {}", long_date(d)),
            None => "for as long as the control lasts".to_string(),
        };
        let mut out = format!(
            "for {who}, any entity that, {when}, {} {who}, directly or indirectly",
            join_with(&kinds, "or")
        );
        if !named.is_empty() {
            out.push_str(&format!(", including {}", join_list(named)));
        }
        out
    }
}
