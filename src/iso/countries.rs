//! The ISO 3166-1 alpha-2 country table and the EU / EEA membership lists.

/// One officially assigned ISO 3166-1 alpha-2 code with the short English
/// name a contract would use ("South Korea", not "Korea, Republic of").
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Country {
    /// The two upper-case letters, e.g. `"DE"`.
    pub code: &'static str,
    /// The common short English name, e.g. `"Germany"`.
    pub name: &'static str,
}

const fn c(code: &'static str, name: &'static str) -> Country {
    Country { code, name }
}

/// Every officially assigned ISO 3166-1 alpha-2 code (249 entries), sorted
/// by code. User-assigned codes such as `XK` (Kosovo) are not included:
/// they are not part of the standard and their meaning differs between
/// users, so a contract naming them needs to spell out what it means.
pub static COUNTRIES: &[Country] = &[
    c("AD", "Andorra"),
    c("AE", "United Arab Emirates"),
    c("AF", "Afghanistan"),
    c("AG", "Antigua and Barbuda"),
    c("AI", "Anguilla"),
    c("AL", "Albania"),
    c("AM", "Armenia"),
    c("AO", "Angola"),
    c("AQ", "Antarctica"),
    c("AR", "Argentina"),
    c("AS", "American Samoa"),
    c("AT", "Austria"),
    c("AU", "Australia"),
    c("AW", "Aruba"),
    c("AX", "Åland Islands"),
    c("AZ", "Azerbaijan"),
    c("BA", "Bosnia and Herzegovina"),
    c("BB", "Barbados"),
    c("BD", "Bangladesh"),
    c("BE", "Belgium"),
    c("BF", "Burkina Faso"),
    c("BG", "Bulgaria"),
    c("BH", "Bahrain"),
    c("BI", "Burundi"),
    c("BJ", "Benin"),
    c("BL", "Saint Barthélemy"),
    c("BM", "Bermuda"),
    c("BN", "Brunei"),
    c("BO", "Bolivia"),
    c("BQ", "Bonaire, Sint Eustatius and Saba"),
    c("BR", "Brazil"),
    c("BS", "Bahamas"),
    c("BT", "Bhutan"),
    c("BV", "Bouvet Island"),
    c("BW", "Botswana"),
    c("BY", "Belarus"),
    c("BZ", "Belize"),
    c("CA", "Canada"),
    c("CC", "Cocos (Keeling) Islands"),
    c("CD", "Democratic Republic of the Congo"),
    c("CF", "Central African Republic"),
    c("CG", "Republic of the Congo"),
    c("CH", "Switzerland"),
    c("CI", "Côte d'Ivoire"),
    c("CK", "Cook Islands"),
    c("CL", "Chile"),
    c("CM", "Cameroon"),
    c("CN", "China"),
    c("CO", "Colombia"),
    c("CR", "Costa Rica"),
    c("CU", "Cuba"),
    c("CV", "Cabo Verde"),
    c("CW", "Curaçao"),
    c("CX", "Christmas Island"),
    c("CY", "Cyprus"),
    c("CZ", "Czechia"),
    c("DE", "Germany"),
    c("DJ", "Djibouti"),
    c("DK", "Denmark"),
    c("DM", "Dominica"),
    c("DO", "Dominican Republic"),
    c("DZ", "Algeria"),
    c("EC", "Ecuador"),
    c("EE", "Estonia"),
    c("EG", "Egypt"),
    c("EH", "Western Sahara"),
    c("ER", "Eritrea"),
    c("ES", "Spain"),
    c("ET", "Ethiopia"),
    c("FI", "Finland"),
    c("FJ", "Fiji"),
    c("FK", "Falkland Islands"),
    c("FM", "Micronesia"),
    c("FO", "Faroe Islands"),
    c("FR", "France"),
    c("GA", "Gabon"),
    c("GB", "United Kingdom"),
    c("GD", "Grenada"),
    c("GE", "Georgia"),
    c("GF", "French Guiana"),
    c("GG", "Guernsey"),
    c("GH", "Ghana"),
    c("GI", "Gibraltar"),
    c("GL", "Greenland"),
    c("GM", "Gambia"),
    c("GN", "Guinea"),
    c("GP", "Guadeloupe"),
    c("GQ", "Equatorial Guinea"),
    c("GR", "Greece"),
    c("GS", "South Georgia and the South Sandwich Islands"),
    c("GT", "Guatemala"),
    c("GU", "Guam"),
    c("GW", "Guinea-Bissau"),
    c("GY", "Guyana"),
    c("HK", "Hong Kong"),
    c("HM", "Heard Island and McDonald Islands"),
    c("HN", "Honduras"),
    c("HR", "Croatia"),
    c("HT", "Haiti"),
    c("HU", "Hungary"),
    c("ID", "Indonesia"),
    c("IE", "Ireland"),
    c("IL", "Israel"),
    c("IM", "Isle of Man"),
    c("IN", "India"),
    c("IO", "British Indian Ocean Territory"),
    c("IQ", "Iraq"),
    c("IR", "Iran"),
    c("IS", "Iceland"),
    c("IT", "Italy"),
    c("JE", "Jersey"),
    c("JM", "Jamaica"),
    c("JO", "Jordan"),
    c("JP", "Japan"),
    c("KE", "Kenya"),
    c("KG", "Kyrgyzstan"),
    c("KH", "Cambodia"),
    c("KI", "Kiribati"),
    c("KM", "Comoros"),
    c("KN", "Saint Kitts and Nevis"),
    c("KP", "North Korea"),
    c("KR", "South Korea"),
    c("KW", "Kuwait"),
    c("KY", "Cayman Islands"),
    c("KZ", "Kazakhstan"),
    c("LA", "Laos"),
    c("LB", "Lebanon"),
    c("LC", "Saint Lucia"),
    c("LI", "Liechtenstein"),
    c("LK", "Sri Lanka"),
    c("LR", "Liberia"),
    c("LS", "Lesotho"),
    c("LT", "Lithuania"),
    c("LU", "Luxembourg"),
    c("LV", "Latvia"),
    c("LY", "Libya"),
    c("MA", "Morocco"),
    c("MC", "Monaco"),
    c("MD", "Moldova"),
    c("ME", "Montenegro"),
    c("MF", "Saint Martin"),
    c("MG", "Madagascar"),
    c("MH", "Marshall Islands"),
    c("MK", "North Macedonia"),
    c("ML", "Mali"),
    c("MM", "Myanmar"),
    c("MN", "Mongolia"),
    c("MO", "Macao"),
    c("MP", "Northern Mariana Islands"),
    c("MQ", "Martinique"),
    c("MR", "Mauritania"),
    c("MS", "Montserrat"),
    c("MT", "Malta"),
    c("MU", "Mauritius"),
    c("MV", "Maldives"),
    c("MW", "Malawi"),
    c("MX", "Mexico"),
    c("MY", "Malaysia"),
    c("MZ", "Mozambique"),
    c("NA", "Namibia"),
    c("NC", "New Caledonia"),
    c("NE", "Niger"),
    c("NF", "Norfolk Island"),
    c("NG", "Nigeria"),
    c("NI", "Nicaragua"),
    c("NL", "Netherlands"),
    c("NO", "Norway"),
    c("NP", "Nepal"),
    c("NR", "Nauru"),
    c("NU", "Niue"),
    c("NZ", "New Zealand"),
    c("OM", "Oman"),
    c("PA", "Panama"),
    c("PE", "Peru"),
    c("PF", "French Polynesia"),
    c("PG", "Papua New Guinea"),
    c("PH", "Philippines"),
    c("PK", "Pakistan"),
    c("PL", "Poland"),
    c("PM", "Saint Pierre and Miquelon"),
    c("PN", "Pitcairn Islands"),
    c("PR", "Puerto Rico"),
    c("PS", "Palestine"),
    c("PT", "Portugal"),
    c("PW", "Palau"),
    c("PY", "Paraguay"),
    c("QA", "Qatar"),
    c("RE", "Réunion"),
    c("RO", "Romania"),
    c("RS", "Serbia"),
    c("RU", "Russia"),
    c("RW", "Rwanda"),
    c("SA", "Saudi Arabia"),
    c("SB", "Solomon Islands"),
    c("SC", "Seychelles"),
    c("SD", "Sudan"),
    c("SE", "Sweden"),
    c("SG", "Singapore"),
    c("SH", "Saint Helena, Ascension and Tristan da Cunha"),
    c("SI", "Slovenia"),
    c("SJ", "Svalbard and Jan Mayen"),
    c("SK", "Slovakia"),
    c("SL", "Sierra Leone"),
    c("SM", "San Marino"),
    c("SN", "Senegal"),
    c("SO", "Somalia"),
    c("SR", "Suriname"),
    c("SS", "South Sudan"),
    c("ST", "São Tomé and Príncipe"),
    c("SV", "El Salvador"),
    c("SX", "Sint Maarten"),
    c("SY", "Syria"),
    c("SZ", "Eswatini"),
    c("TC", "Turks and Caicos Islands"),
    c("TD", "Chad"),
    c("TF", "French Southern Territories"),
    c("TG", "Togo"),
    c("TH", "Thailand"),
    c("TJ", "Tajikistan"),
    c("TK", "Tokelau"),
    c("TL", "Timor-Leste"),
    c("TM", "Turkmenistan"),
    c("TN", "Tunisia"),
    c("TO", "Tonga"),
    c("TR", "Türkiye"),
    c("TT", "Trinidad and Tobago"),
    c("TV", "Tuvalu"),
    c("TW", "Taiwan"),
    c("TZ", "Tanzania"),
    c("UA", "Ukraine"),
    c("UG", "Uganda"),
    c("UM", "United States Minor Outlying Islands"),
    c("US", "United States"),
    c("UY", "Uruguay"),
    c("UZ", "Uzbekistan"),
    c("VA", "Vatican City"),
    c("VC", "Saint Vincent and the Grenadines"),
    c("VE", "Venezuela"),
    c("VG", "British Virgin Islands"),
    c("VI", "United States Virgin Islands"),
    c("VN", "Vietnam"),
    c("VU", "Vanuatu"),
    c("WF", "Wallis and Futuna"),
    c("WS", "Samoa"),
    c("YE", "Yemen"),
    c("YT", "Mayotte"),
    c("ZA", "South Africa"),
    c("ZM", "Zambia"),
    c("ZW", "Zimbabwe"),
];

/// The 27 member states of the European Union (as of
/// [`MEMBERSHIP_TABLES_DATE`](super::MEMBERSHIP_TABLES_DATE)), as sorted
/// ISO 3166-1 codes. Greece is `GR` here (the EU itself writes `EL`).
/// Outermost regions that have their own ISO code (e.g. `GF`, `RE`, `YT`,
/// `MF`) are not listed: a contract that means them must name them.
pub static EU: &[&str] = &[
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT",
    "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
];

/// The 30 states of the European Economic Area: the [`EU`] plus Iceland,
/// Liechtenstein and Norway, as sorted ISO 3166-1 codes.
pub static EEA: &[&str] = &[
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IS",
    "IT", "LI", "LT", "LU", "LV", "MT", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK",
];

/// The position of `code` (exact, upper-case) in [`COUNTRIES`].
/// Always below 256, so it fits a `u8`.
pub fn country_index(code: &str) -> Option<u8> {
    // Two capital letters: one look-up in a table of every such pair (reading a large
    // policy looks codes up millions of times; the binary search was 18 % of loading).
    if let [a @ b'A'..=b'Z', b @ b'A'..=b'Z'] = code.as_bytes() {
        let slot = usize::from(a - b'A') * 26 + usize::from(b - b'A');
        let i = *BY_LETTERS.get(slot)?;
        return (i != NOT_A_COUNTRY).then_some(i);
    }
    search(code)
}

fn search(code: &str) -> Option<u8> {
    let i = COUNTRIES.binary_search_by(|c| c.code.cmp(code)).ok()?;
    u8::try_from(i).ok()
}

/// In [`BY_LETTERS`]: no country has this pair of letters.
const NOT_A_COUNTRY: u8 = u8::MAX;

/// [`country_index`] of every pair of capital letters `AA`..`ZZ`, built from
/// [`COUNTRIES`] once.
static BY_LETTERS: std::sync::LazyLock<[u8; 26 * 26]> = std::sync::LazyLock::new(|| {
    let mut table = [NOT_A_COUNTRY; 26 * 26];
    for (slot, entry) in table.iter_mut().enumerate() {
        let pair = [b'A' + (slot / 26) as u8, b'A' + (slot % 26) as u8];
        if let Some(i) = std::str::from_utf8(&pair).ok().and_then(search) {
            *entry = i;
        }
    }
    table
});

/// The country at position `i` of [`COUNTRIES`], if there is one.
pub fn country_by_index(i: u8) -> Option<&'static Country> {
    COUNTRIES.get(usize::from(i))
}

/// The short English name of the country with this code (exact, upper-case).
pub fn country_name(code: &str) -> Option<&'static str> {
    country_index(code)
        .and_then(country_by_index)
        .map(|c| c.name)
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
mod tests {
    use super::*;

    #[test]
    fn the_letter_table_finds_what_the_search_finds() {
        for a in b'A'..=b'Z' {
            for b in b'A'..=b'Z' {
                let code = String::from_utf8(vec![a, b]).unwrap();
                assert_eq!(country_index(&code), search(&code), "{code}");
            }
        }
        for c in COUNTRIES {
            assert_eq!(
                country_by_index(country_index(c.code).unwrap())
                    .unwrap()
                    .code,
                c.code
            );
        }
        for not in ["", "D", "de", "De", "DEU", "D1", "ÄB"] {
            assert_eq!(country_index(not), None, "{not}");
        }
    }

    #[test]
    fn count_sorted_unique() {
        assert_eq!(COUNTRIES.len(), 249);
        for w in COUNTRIES.windows(2) {
            assert!(w[0].code < w[1].code, "{} !< {}", w[0].code, w[1].code);
        }
        for c in COUNTRIES {
            assert_eq!(c.code.len(), 2);
            assert!(c.code.bytes().all(|b| b.is_ascii_uppercase()));
            assert!(!c.name.is_empty());
        }
    }

    #[test]
    fn index_round_trip() {
        let i = country_index("DE").unwrap();
        assert_eq!(country_by_index(i).unwrap().code, "DE");
        assert_eq!(country_by_index(i).unwrap().name, "Germany");
        for (n, c) in COUNTRIES.iter().enumerate() {
            assert_eq!(country_index(c.code).map(usize::from), Some(n));
        }
        assert_eq!(country_index("XK"), None);
        assert_eq!(country_index("de"), None);
        assert_eq!(country_index(""), None);
        assert!(country_by_index(249).is_none());
        assert!(country_by_index(255).is_none());
    }

    #[test]
    fn lawyer_names() {
        assert_eq!(country_name("US"), Some("United States"));
        assert_eq!(country_name("GB"), Some("United Kingdom"));
        assert_eq!(country_name("CN"), Some("China"));
        assert_eq!(country_name("RU"), Some("Russia"));
        assert_eq!(country_name("KR"), Some("South Korea"));
        assert_eq!(country_name("TW"), Some("Taiwan"));
        assert_eq!(country_name("ZZ"), None);
    }

    #[test]
    fn eu_eea() {
        assert_eq!(EU.len(), 27);
        assert_eq!(EEA.len(), 30);
        for list in [EU, EEA] {
            for w in list.windows(2) {
                assert!(w[0] < w[1]);
            }
            for code in list {
                assert!(country_index(code).is_some(), "{code}");
            }
        }
        for code in EU {
            assert!(EEA.contains(code));
        }
        for code in ["IS", "LI", "NO"] {
            assert!(EEA.contains(&code) && !EU.contains(&code));
        }
    }
}
