//! Countries, blocs and territories in words.

use super::*;
use crate::territory::TerritorySet;

/// The short English name of a country code, or the code itself when unknown.
pub fn country(code: &str) -> String {
    crate::iso::country_name(code).unwrap_or(code).to_string()
}

/// A country's name as it stands in a sentence, with "the" where English wants it:
/// "the United States", "the Netherlands", "Germany".
pub fn country_in_sentence(code: &str) -> String {
    let name = country(code);
    if needs_article(&name) {
        format!("the {name}")
    } else {
        name
    }
}

pub(crate) fn needs_article(name: &str) -> bool {
    const THE: [&str; 10] = [
        "Netherlands",
        "Philippines",
        "Bahamas",
        "Gambia",
        "Maldives",
        "Comoros",
        "Seychelles",
        "British Indian Ocean Territory",
        "French Southern Territories",
        "Heard Island and McDonald Islands",
    ];
    const NOT: [&str; 1] = ["South Georgia and the South Sandwich Islands"];
    if NOT.contains(&name) {
        return false;
    }
    THE.contains(&name)
        || name.starts_with("United ")
        || name.ends_with(" Islands")
        || name.ends_with("Republic")
        || name.starts_with("Republic ")
        || name.starts_with("Democratic Republic")
}

/// The countries of a set, sorted by name, as they stand in a sentence.
pub fn country_list(set: TerritorySet) -> Vec<String> {
    let mut codes = set.codes();
    codes.sort_by_key(|c| country(c));
    codes.into_iter().map(country_in_sentence).collect()
}

/// How many countries a list may have before it moves to a defined term.
pub(crate) const MAX_INLINE_COUNTRIES: usize = 10;

/// How many countries may differ from the EU or EEA for the set to be phrased
/// relative to it.
pub(crate) const MAX_BLOC_DIFFERENCE: usize = 5;

/// A bloc the prose names as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bloc {
    Eu,
    Eea,
}

impl Bloc {
    fn set(self) -> TerritorySet {
        match self {
            Bloc::Eu => TerritorySet::eu(),
            Bloc::Eea => TerritorySet::eea(),
        }
    }

    fn words(self) -> &'static str {
        match self {
            Bloc::Eu => "the member states of the European Union",
            Bloc::Eea => "the member states of the European Economic Area",
        }
    }
}

/// How a set of countries is put in words: a noun phrase, the bloc it names, and the
/// countries it names one by one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountriesWords {
    pub phrase: String,
    pub bloc: Option<Bloc>,
    pub named: TerritorySet,
}

/// A set of countries in words (see [`countries_phrase`]).
pub fn countries_words(set: TerritorySet) -> Option<CountriesWords> {
    let blocs = [Bloc::Eea, Bloc::Eu];
    for bloc in blocs {
        let b = bloc.set();
        if set == b {
            return Some(CountriesWords {
                phrase: bloc.words().to_string(),
                bloc: Some(bloc),
                named: TerritorySet::empty(),
            });
        }
        if b.is_subset(&set) && set.difference(b).len() <= MAX_BLOC_DIFFERENCE {
            let extra = set.difference(b);
            let mut parts = vec![bloc.words().to_string()];
            parts.extend(country_list(extra));
            return Some(CountriesWords {
                phrase: join_list(&parts),
                bloc: Some(bloc),
                named: extra,
            });
        }
    }
    // The smaller bloc first: a subset of the EU is phrased against the EU.
    for bloc in [Bloc::Eu, Bloc::Eea] {
        let missing = bloc.set().difference(set);
        if set.is_subset(&bloc.set())
            && set.len() > MAX_INLINE_COUNTRIES
            && missing.len() <= MAX_BLOC_DIFFERENCE
        {
            return Some(CountriesWords {
                phrase: format!(
                    "{} other than {}",
                    bloc.words(),
                    join_list(&country_list(missing))
                ),
                bloc: Some(bloc),
                named: missing,
            });
        }
    }
    if set.len() <= MAX_INLINE_COUNTRIES {
        return Some(CountriesWords {
            phrase: join_list(&country_list(set)),
            bloc: None,
            named: set,
        });
    }
    None
}

/// A set of countries as a noun phrase, without a preposition: "the member states of
/// the European Union", "Austria, Germany and Switzerland", "the member states of the
/// European Union and Switzerland", "the member states of the European Union other
/// than Germany"; `None` when it would be too long to read.
pub fn countries_phrase(set: TerritorySet) -> Option<String> {
    countries_words(set).map(|w| w.phrase)
}

/// A territory in words (see [`territory_phrase`]): the phrase and how it names
/// countries.
pub fn territory_words(set: TerritorySet) -> Option<CountriesWords> {
    let world = TerritorySet::worldwide();
    if set == world {
        return Some(CountriesWords {
            phrase: "throughout the world".to_string(),
            bloc: None,
            named: TerritorySet::empty(),
        });
    }
    if set.is_empty() {
        return Some(CountriesWords {
            phrase: "in no country".to_string(),
            bloc: None,
            named: TerritorySet::empty(),
        });
    }
    let missing = world.difference(set);
    if missing.len() <= MAX_INLINE_COUNTRIES || missing.len() < set.len() {
        if let Some(w) = countries_words(missing) {
            return Some(CountriesWords {
                phrase: format!("throughout the world except {}", w.phrase),
                ..w
            });
        }
    }
    countries_words(set).map(|w| CountriesWords {
        phrase: format!("in {}", w.phrase),
        ..w
    })
}

/// A territory as an adverbial phrase: "throughout the world", "throughout the world
/// except China and Russia", "in the member states of the European Union", "in
/// Austria, Germany and Switzerland"; `None` when it needs a defined term.
pub fn territory_phrase(set: TerritorySet) -> Option<String> {
    territory_words(set).map(|w| w.phrase)
}

/// A territory as an adverbial phrase ([`territory_phrase`]), or with its codes ("in
/// AT, BE, …") when that would be too long for a sentence.
pub fn territory_in_words(set: TerritorySet) -> String {
    territory_phrase(set).unwrap_or_else(|| format!("in {}", set.describe()))
}

/// A set of countries as a noun phrase: "every country", "every country except China
/// and Russia", a list or a bloc ([`countries_phrase`]), or its codes when too long.
pub fn countries_in_words(set: TerritorySet) -> String {
    if set == TerritorySet::worldwide() {
        return "every country".to_string();
    }
    let missing = TerritorySet::worldwide().difference(set);
    if missing.len() < set.len() {
        if let Some(p) = countries_phrase(missing) {
            return format!("every country except {p}");
        }
    }
    countries_phrase(set).unwrap_or_else(|| set.describe())
}
