//! The registry of stable diagnostic codes and the long explanations `xlic explain` prints.
//!
//! Codes are part of the tool's interface: once published, a code keeps its meaning.
//! Every code a stage of the compiler reports has exactly one entry in [`ALL`].

/// What one diagnostic code means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeInfo {
    /// The stable code, e.g. `E0101`.
    pub code: &'static str,
    /// One of `syntax`, `names`, `values`, `conflict`, `policy`.
    pub family: &'static str,
    /// A short lowercase phrase naming the problem.
    pub title: &'static str,
    /// Plain text for `xlic explain`: the rule, why it matters, a `Wrong:` and a
    /// `Fixed:` example, and how to fix it.
    pub explanation: &'static str,
}

/// Looks a code up, ignoring ASCII case (`e0101` finds `E0101`) and surrounding blanks.
pub fn lookup(code: &str) -> Option<&'static CodeInfo> {
    let wanted = code.trim();
    ALL.iter()
        .find(|info| info.code.eq_ignore_ascii_case(wanted))
}

/// Every code, sorted by code.
pub static ALL: &[CodeInfo] = &[
    // ------------------------------------------------------------------ syntax
    CodeInfo {
        code: "E0001",
        family: "syntax",
        title: "invalid character in the source",
        explanation: r#"The lexer met a character that cannot begin any token of the language.
Names are ASCII letters, digits and `_`; any other text belongs inside a
"string" or a comment. The usual culprit is text pasted from a word
processor, which turns straight quotes into curly ones and hyphens into
dashes. The lexer skips the character and keeps going, so later errors on the
same line may be follow-on noise.

Wrong:

    agreement "Acme-Globex Cross-License" { effective 2026-01-01 }
    party acme “Acme Robotics, Inc.”

Fixed:

    agreement "Acme-Globex Cross-License" { effective 2026-01-01 }
    party acme "Acme Robotics, Inc."

Delete or retype the character; use straight double quotes around names."#,
    },
    CodeInfo {
        code: "E0002",
        family: "syntax",
        title: "unterminated string literal or block comment",
        explanation: r#"A string opened with `"` must be closed with `"` on the same line, and a
block comment opened with `/*` must be closed with `*/`. An unclosed comment
swallows the rest of the file, so every clause after it would silently
disappear from the agreement; the compiler refuses rather than guess where
the text was meant to end.

Wrong:

    agreement "Acme-Globex Cross-License { effective 2026-01-01 }
    /* draft: check with counsel
    party acme "Acme Robotics, Inc."

Fixed:

    agreement "Acme-Globex Cross-License" { effective 2026-01-01 }
    /* draft: check with counsel */
    party acme "Acme Robotics, Inc."

Add the missing `"` or `*/` where the string or comment should end."#,
    },
    CodeInfo {
        code: "E0003",
        family: "syntax",
        title: "source file is not valid utf-8",
        explanation: r#"Source files must be encoded as UTF-8. A file saved in a legacy encoding
such as Windows-1252 stores characters like the en dash or accented letters
in party names as bytes that are not UTF-8, and the compiler cannot tell
which characters were meant. Nothing in such a file is checked, because a
misread party name could change who is bound. Below, `<0x96>` stands for the
en dash saved as the single Windows-1252 byte 0x96.

Wrong:

    agreement "Acme<0x96>Globex Cross-License" { effective 2026-01-01 }
    party acme "Acme Robotics, Inc."

Fixed:

    agreement "Acme–Globex Cross-License" { effective 2026-01-01 }
    party acme "Acme Robotics, Inc."

Re-save the file as UTF-8 (in VS Code: "Save with Encoding", then "UTF-8")."#,
    },
    CodeInfo {
        code: "E0004",
        family: "syntax",
        title: "unexpected token",
        explanation: r#"The parser found a word or symbol where the grammar allows something else;
the message lists what it expected. Common causes are a missing `:` or `->`
in a clause header, a comma in the wrong place, or a keyword used as a name
(every keyword, such as `data`, `use` or `all`, is reserved). The parser
skips to the next clause and reports every error in the file, so fix the
first one first: later ones may follow from it.

Wrong:

    agreement "Motion" { effective 2026-01-01 }
    party acme "Acme Robotics, Inc."
    party globex "Globex Corporation"
    fields { robotics }
    asset motion patent family of acme
    grant to_globex: acme -> globex {
      assets motion  field robotics  territory worldwide  non-exclusive
    }

Fixed:

    agreement "Motion" { effective 2026-01-01 }
    party acme "Acme Robotics, Inc."
    party globex "Globex Corporation"
    fields { robotics }
    asset motion: patent family of acme
    grant to_globex: acme -> globex {
      assets motion  field robotics  territory worldwide  non-exclusive
    }

Write what the message says was expected at the marked place."#,
    },
    CodeInfo {
        code: "E0005",
        family: "syntax",
        title: "unexpected end of file",
        explanation: r#"The file ended in the middle of a clause: a `{` was never closed, or a
clause stopped before its required parts (for example `grant g: acme ->`
with no licensee). Often a closing brace went missing when a clause was cut
and pasted. The label points at the unclosed brace or the unfinished clause.

Wrong:

    agreement "Motion" { effective 2026-01-01 }
    party acme "Acme Robotics, Inc."
    party globex "Globex Corporation"
    fields { robotics }
    asset motion: patent family of acme
    grant to_globex: acme -> globex {
      assets motion  field robotics  territory worldwide  non-exclusive

Fixed:

    agreement "Motion" { effective 2026-01-01 }
    party acme "Acme Robotics, Inc."
    party globex "Globex Corporation"
    fields { robotics }
    asset motion: patent family of acme
    grant to_globex: acme -> globex {
      assets motion  field robotics  territory worldwide  non-exclusive
    }

Close every `{` with a `}` and finish the clause the label points at."#,
    },
    CodeInfo {
        code: "E0006",
        family: "syntax",
        title: "nesting too deep",
        explanation: r#"Braces and brackets may nest at most 64 levels deep. Deeper input is
almost always generated by a faulty script or is an unbalanced run of `{`,
and no agreement needs it: a fields tree that deep could not be read by
anyone. The compiler skips the part nested too deeply and reports it, so the
rest of the file is still checked.

Wrong:

    agreement "Motion" { effective 2026-01-01 }
    fields { robotics { r1 { r2 { r3 { /* ... 60 more levels ... */ } } } } }

Fixed:

    agreement "Motion" { effective 2026-01-01 }
    fields { robotics { industrial consumer { vacuum lawn } } }

Flatten the structure, or find the `{` that was never closed."#,
    },
    CodeInfo {
        code: "E0007",
        family: "syntax",
        title: "input too large",
        explanation: r#"A source file is larger than the size limit (64 MiB unless the build
raises it). The limit keeps the compiler's time and memory bounded in CI and
in the editor. Files that big are usually generated lists of patent numbers;
a capture period describes the same set of patents in one line, and shared
declarations can be split into registry files that are imported.

Wrong:

    // a generated file of 70 MiB that lists every patent one by one
    agreement "Portfolio" { effective 2026-01-01 }
    party acme "Acme Robotics, Inc."
    asset acme_all: patent family of acme {
      patent "US 11,234,567" expires 2038-05-01
      // ... two million more lines ...
    }

Fixed:

    agreement "Portfolio" { effective 2026-01-01 }
    party acme "Acme Robotics, Inc."
    asset acme_all: patents of acme filed 2000-01-01 until 2026-01-01

Describe the assets more compactly, or split the file and use `import`."#,
    },
    CodeInfo {
        code: "E0008",
        family: "syntax",
        title: "malformed number",
        explanation: r#"A number must be digits, optionally grouped with single `_` between digits,
with at most one decimal point (a number too large or too precise to hold is
E0209). `1__000`, `1_000_` and `2.5.1` are rejected rather than guessed at:
money and rates are contract terms, and a misread figure changes what is owed.

Wrong:

    agreement "Motion" { effective 2026-01-01 }
    party acme "Acme Robotics, Inc."
    party globex "Globex Corporation"
    fields { robotics }
    asset motion: patent family of acme
    grant to_globex: acme -> globex {
      assets motion  field robotics  territory worldwide  non-exclusive
      royalty 2.5% of net sales, cap 1__000_000 USD per year
    }

Fixed:

    (as above, with the last line of the grant written as)
      royalty 2.5% of net sales, cap 1_000_000 USD per year

Write the figure with single `_` separators and one decimal point."#,
    },
    CodeInfo {
        code: "E0010",
        family: "syntax",
        title: "required attribute missing",
        explanation: r#"Some attributes have no safe default and must be stated. A grant must state
its `assets`, its `field`, its `territory` and its exclusivity (`exclusive`,
`sole` or `non-exclusive`); an agreement must state its `effective` date.
Guessing any of these would decide the scope of a license for the parties.
The help shows the line to add.

Wrong:

    agreement "Motion" { effective 2026-01-01 }
    party acme "Acme Robotics, Inc."
    party globex "Globex Corporation"
    fields { robotics }
    asset motion: patent family of acme
    grant to_globex: acme -> globex {
      assets motion  field robotics  non-exclusive
    }

Fixed:

    agreement "Motion" { effective 2026-01-01 }
    party acme "Acme Robotics, Inc."
    party globex "Globex Corporation"
    fields { robotics }
    asset motion: patent family of acme
    grant to_globex: acme -> globex {
      assets motion  field robotics  territory worldwide  non-exclusive
    }

Add the missing attribute to the clause (here `territory worldwide`)."#,
    },
    CodeInfo {
        code: "E0011",
        family: "syntax",
        title: "attribute stated twice",
        explanation: r#"Each attribute may appear once per clause. Two `territory` lines in one
grant do not add up: it is unclear whether the second replaces the first or
extends it, and a court might read it either way. Both places are labeled.

Wrong:

    agreement "Motion" { effective 2026-01-01 }
    party acme "Acme Robotics, Inc."
    party globex "Globex Corporation"
    fields { robotics }
    asset motion: patent family of acme
    grant to_globex: acme -> globex {
      assets motion  field robotics  non-exclusive
      territory [DE, AT]
      territory [CH]
    }

Fixed:

    (as above, with the two lines merged into one)
      territory [DE, AT, CH]

Merge the two statements into one (lists and `+` combine territories)."#,
    },
    CodeInfo {
        code: "E0012",
        family: "syntax",
        title: "clause outside an agreement",
        explanation: r#"Grants, reservations, improvement rules and sunsets belong to an agreement,
and they belong to the agreement of the file that states them. A file that
states such clauses but has no `agreement` block leaves them without an
effective date, a term or governing law. Files meant only for sharing
(registries of parties, fields and assets) may omit the agreement, but then
they may only hold declarations.

Wrong:

    party acme "Acme Robotics, Inc."
    party globex "Globex Corporation"
    fields { robotics }
    asset motion: patent family of acme
    grant to_globex: acme -> globex {
      assets motion  field robotics  territory worldwide  non-exclusive
    }

Fixed:

    agreement "Motion" { effective 2026-01-01  term 5 years }
    party acme "Acme Robotics, Inc."
    party globex "Globex Corporation"
    fields { robotics }
    asset motion: patent family of acme
    grant to_globex: acme -> globex {
      assets motion  field robotics  territory worldwide  non-exclusive
    }

Add an `agreement` block, or move the clauses into the agreement's file."#,
    },
    CodeInfo {
        code: "E0013",
        family: "syntax",
        title: "more than one agreement in a file",
        explanation: r#"A file holds at most one `agreement`. Its clauses belong to that agreement,
so with two agreements in one file it would be unclear which one a grant
belongs to, which effective date and term apply, and which law governs it.

Wrong:

    agreement "Motion" { effective 2026-01-01 }
    agreement "Lidar" { effective 2027-01-01 }
    party acme "Acme Robotics, Inc."

Fixed:

    // registry.xlic
    party acme "Acme Robotics, Inc."
    // motion.xlic
    import "registry.xlic"
    agreement "Motion" { effective 2026-01-01 }
    // lidar.xlic
    import "registry.xlic"
    agreement "Lidar" { effective 2027-01-01 }

Put each agreement in its own file and share declarations with `import`."#,
    },
    // ------------------------------------------------------------------- names
    CodeInfo {
        code: "E0101",
        family: "names",
        title: "unknown name",
        explanation: r#"A clause refers to a party, asset, field, territory group, country code,
grant or reservation that is not declared in the file or in a file it
imports. Declarations may come later in the file, so order is not the
problem; usually it is a typo, and the help suggests the nearest declared
name. Country codes are ISO 3166-1 alpha-2: the United Kingdom is `GB`, not
`UK`, and Greece is `GR`, not `EL`.

Wrong:

    agreement "Motion" { effective 2026-01-01 }
    party acme "Acme Robotics, Inc."
    party globex "Globex Corporation"
    fields { robotics }
    asset motion: patent family of acme
    grant to_globex: acme -> globx {
      assets motion  field robotics  territory [UK]  non-exclusive
    }

Fixed:

    agreement "Motion" { effective 2026-01-01 }
    party acme "Acme Robotics, Inc."
    party globex "Globex Corporation"
    fields { robotics }
    asset motion: patent family of acme
    grant to_globex: acme -> globex {
      assets motion  field robotics  territory [GB]  non-exclusive
    }

Correct the spelling, declare the name, or import the file that declares it."#,
    },
    CodeInfo {
        code: "E0102",
        family: "names",
        title: "duplicate definition",
        explanation: r#"A name is declared twice in the same scope: two parties, assets, territory
groups, grants or reservations with one id in an agreement, or one field
path declared twice in the fields tree. Every reference to the name would be
ambiguous. Both declarations are labeled; they may be in different files
when one of them is imported.

Wrong:

    agreement "Motion" { effective 2026-01-01 }
    party acme "Acme Robotics, Inc."
    asset motion: patent family of acme
    asset motion: know-how of acme

Fixed:

    agreement "Motion" { effective 2026-01-01 }
    party acme "Acme Robotics, Inc."
    asset motion: patent family of acme
    asset motion_know_how: know-how of acme

Rename one of the two, or delete the copy if both mean the same thing."#,
    },
    CodeInfo {
        code: "E0103",
        family: "names",
        title: "imported file not found or unreadable",
        explanation: r#"An `import` names a file that does not exist or cannot be read. Import paths
are resolved relative to the folder of the importing file, not the folder
the compiler was started in. Nothing the missing file declares is known, so
names from it are not reported again as unknown.

Wrong:

    // contracts/acme/motion.xlic; the registry is contracts/shared/registry.xlic
    import "shared/registry.xlic"
    agreement "Motion" { effective 2026-01-01 }

Fixed:

    // contracts/acme/motion.xlic
    import "../shared/registry.xlic"
    agreement "Motion" { effective 2026-01-01 }

Correct the path relative to the importing file, or check the file's permissions."#,
    },
    CodeInfo {
        code: "E0104",
        family: "names",
        title: "import cycle",
        explanation: r#"Files import each other in a circle. Imports are meant to share a registry
of declarations in one place; a cycle means there is no file that can be
read first, and usually that agreement clauses and shared declarations have
got mixed. The message lists every file of the cycle.

Wrong:

    // motion.xlic
    import "lidar.xlic"
    agreement "Motion" { effective 2026-01-01 }
    // lidar.xlic
    import "motion.xlic"
    agreement "Lidar" { effective 2027-01-01 }

Fixed:

    // registry.xlic: declarations only, imports nothing
    party acme "Acme Robotics, Inc."
    // motion.xlic
    import "registry.xlic"
    agreement "Motion" { effective 2026-01-01 }
    // lidar.xlic
    import "registry.xlic"
    agreement "Lidar" { effective 2027-01-01 }

Move what both files need into a registry file that both import."#,
    },
    CodeInfo {
        code: "E0105",
        family: "names",
        title: "import outside the checked folders",
        explanation: r#"An import reaches a file outside the files and folders named on the command
line. The set of files to check is exactly what was named, so that a CI run
is reproducible and cannot pick up a stray copy of a registry elsewhere on
the machine.

Wrong:

    // contracts/motion.xlic, checked with: xlic check contracts/
    import "../legal-shared/registry.xlic"
    agreement "Motion" { effective 2026-01-01 }

Fixed:

    // contracts/motion.xlic, checked with: xlic check contracts/ legal-shared/
    import "../legal-shared/registry.xlic"
    agreement "Motion" { effective 2026-01-01 }

Name the folder of the imported file on the command line, or move the file."#,
    },
    CodeInfo {
        code: "E0106",
        family: "names",
        title: "territory group defined in terms of itself",
        explanation: r#"A territory group names itself in its own definition, directly or through
other groups (`dach` uses `alpine`, which uses `dach`). Groups may refer to
groups declared further down the file, but a circle of groups has no
starting point: no country list can be computed for any group in it, so
every grant that uses one would have an unknown territory. The label points
at the name that closes the circle.

Wrong:

    agreement "Motion" { effective 2026-01-01 }
    territory dach = [DE, AT] + alpine
    territory alpine = [CH, LI] + dach

Fixed:

    agreement "Motion" { effective 2026-01-01 }
    territory dach = [DE, AT, CH]
    territory alpine = [LI] + dach

Write out the countries of one group, and build the others from it."#,
    },
    // ------------------------------------------------------------------ values
    CodeInfo {
        code: "E0201",
        family: "values",
        title: "not a calendar date",
        explanation: r#"Dates are ISO 8601 calendar dates, `YYYY-MM-DD`, and must exist:
`2026-02-30` and `2026-13-01` are rejected, and so are `1-1-2026` and
`01/01/2026`. An impossible date cannot be rounded safely, because an
effective date or an expiry decides when rights start and end.

Wrong:

    agreement "Motion" { effective 2026-02-30  term 5 years }
    party acme "Acme Robotics, Inc."

Fixed:

    agreement "Motion" { effective 2026-02-28  term 5 years }
    party acme "Acme Robotics, Inc."

Write an existing date as year-month-day with four, two and two digits."#,
    },
    CodeInfo {
        code: "E0202",
        family: "values",
        title: "empty or inverted term",
        explanation: r#"A term `A until B` is the half-open period from A up to but not including B,
so B must come after A. `2026-01-01 until 2026-01-01` is empty and grants
nothing; an end before the start is usually two dates swapped. To license a
single day D, write `D until` the following day.

Wrong:

    agreement "Motion" { effective 2026-01-01  term 10 years }
    party acme "Acme Robotics, Inc."
    party globex "Globex Corporation"
    fields { robotics }
    asset motion: patent family of acme
    grant to_globex: acme -> globex {
      assets motion  field robotics  territory worldwide  non-exclusive
      term 2031-01-01 until 2026-01-01
    }

Fixed:

    (as above, with the term written as)
      term 2026-01-01 until 2031-01-01

Put the start first and make the end the first day the grant no longer runs."#,
    },
    CodeInfo {
        code: "E0203",
        family: "values",
        title: "grant term outside the agreement term",
        explanation: r#"A grant cannot run before its agreement is effective or after it ends: the
agreement is the source of the license. `term N years` in the agreement and
`term for N years` in a grant both count from the agreement's `effective`
date, and the agreement's term is half-open, so a 5-year agreement effective
2026-01-01 ends when 2031-01-01 begins.

Wrong:

    agreement "Motion" { effective 2026-01-01  term 5 years }
    party acme "Acme Robotics, Inc."
    party globex "Globex Corporation"
    fields { robotics }
    asset motion: patent family of acme
    grant to_globex: acme -> globex {
      assets motion  field robotics  territory worldwide  non-exclusive
      term 2025-07-01 until 2031-01-01
    }

Fixed:

    (as above, with the term written as)
      term 2026-01-01 until 2031-01-01

Move the grant's dates inside the agreement's term, or extend the agreement."#,
    },
    CodeInfo {
        code: "E0204",
        family: "values",
        title: "amount out of range",
        explanation: r#"A royalty percentage must be above 0% and at most 100%; money amounts must
be positive; a `cap` may not be below the `floor` of the same consideration; a
duration is at most 100,000 days, months or years. A 0% royalty is better
written `royalty-free`, which says what is meant, and a cap below the floor
cannot be honored in any year.

Wrong:

    agreement "Motion" { effective 2026-01-01 }
    party acme "Acme Robotics, Inc."
    party globex "Globex Corporation"
    fields { robotics }
    asset motion: patent family of acme
    grant to_globex: acme -> globex {
      assets motion  field robotics  territory worldwide  non-exclusive
      royalty 2% of net sales, cap 10_000 USD per year, floor 50_000 USD per year
    }

Fixed:

    (as above, with the consideration written as)
      royalty 2% of net sales, cap 100_000 USD per year, floor 50_000 USD per year

Correct the figure so that 0 < rate <= 100%, amounts > 0 and floor <= cap."#,
    },
    CodeInfo {
        code: "E0205",
        family: "values",
        title: "inconsistent royalty tiers or currencies",
        explanation: r#"The bands of a tiered royalty must ascend and meet exactly: each band starts
where the previous one ends, with no gap and no overlap. In a gap the rate
is undefined; in an overlap two rates apply. All amounts of one
consideration (tiers, cap, floor) must also use one currency, since the
agreement fixes no exchange rate.

Wrong:

    agreement "Motion" { effective 2026-01-01 }
    party acme "Acme Robotics, Inc."
    party globex "Globex Corporation"
    fields { robotics }
    asset motion: patent family of acme
    grant to_globex: acme -> globex {
      assets motion  field robotics  territory worldwide  non-exclusive
      royalty tiered of net sales per year {
        from 0 USD to 1_000_000 USD at 3%
        from 2_000_000 USD at 2%
      }
    }

Fixed:

    (as above, with the tiers written as)
      royalty tiered of net sales per year {
        from 0 USD to 1_000_000 USD at 3%
        from 1_000_000 USD at 2%
      }

Start each band where the previous one ends, and use a single currency."#,
    },
    CodeInfo {
        code: "E0206",
        family: "values",
        title: "unknown currency code",
        explanation: r#"Money is written as an amount followed by an ISO 4217 currency code: `USD`,
`EUR`, `JPY`, `CNY` and so on. Common names and symbols are not codes: the
Chinese renminbi is `CNY`, not `RMB`, and the pound sterling is `GBP`, not
`UKP`. A payment obligation in an unknown currency cannot be enforced.

Wrong:

    agreement "Motion" { effective 2026-01-01 }
    party acme "Acme Robotics, Inc."
    party globex "Globex Corporation"
    fields { robotics }
    asset motion: patent family of acme
    grant to_globex: acme -> globex {
      assets motion  field robotics  territory [CN]  non-exclusive
      lump sum 2_000_000 RMB
    }

Fixed:

    (as above, with the payment written as)
      lump sum 2_000_000 CNY

Use the three-letter ISO 4217 code; the help suggests the nearest one."#,
    },
    CodeInfo {
        code: "E0207",
        family: "values",
        title: "patent jurisdiction unknown",
        explanation: r#"The checker must know where each listed patent is in force. For a national
number it reads the country from the prefix (`US`, `JP`, `DE` ...). A
European patent (`EP`) is in force only in the countries where it was
validated, and a `WO` number is an international application, not a patent
in any country; such numbers need an explicit `in [...]` list. Without one,
territorial checks and `term until expiry` could not be computed.

Wrong:

    agreement "Motion" { effective 2026-01-01 }
    party acme "Acme Robotics, Inc."
    asset motion: patent family of acme {
      patent "EP 3 456 789" expires 2039-02-11
    }

Fixed:

    agreement "Motion" { effective 2026-01-01 }
    party acme "Acme Robotics, Inc."
    asset motion: patent family of acme {
      patent "EP 3 456 789" expires 2039-02-11 in [DE, FR, GB]
    }

Add `in [...]` with the countries where the patent is validated or granted."#,
    },
    // ---------------------------------------------------------------- conflict
    CodeInfo {
        code: "E0208",
        family: "values",
        title: "capture period lists a patent filed outside it",
        explanation: r#"An asset written `patents of P filed A until B` holds every patent of P
filed from A up to, not including, B, whether or not it is listed. A listed
patent whose filing date lies outside that period contradicts the asset's
own definition: either the date or the period is wrong, and licenses of the
asset would cover a patent they were never meant to (or miss one).

Wrong:

    agreement "Capture" { effective 2026-01-01  term 5 years }
    party acme "Acme"   party globex "Globex"
    fields { robotics }
    asset acme_2020s: patents of acme filed 2021-01-01 until 2026-01-01 {
      patent "US 11,000,001" filed 2019-05-02 expires 2039-05-02
    }

Fixed:

    asset acme_2020s: patents of acme filed 2021-01-01 until 2026-01-01 {
      patent "US 11,000,001" filed 2021-05-02 expires 2041-05-02
    }

Correct the filing date, widen the period, or list the patent in another
asset."#,
    },
    CodeInfo {
        code: "E0209",
        family: "values",
        title: "number too large or too precise",
        explanation: r#"Numbers are exact decimals: at most 79,228,162,514,264,337,593,543,950,335
and at most 28 or 29 significant digits in all. A number past either limit is
refused, not rounded: `100.0000000000000000000000000001%` would otherwise be
read as 100%, and a rounded amount is not the amount the parties agreed.

Wrong:

    agreement "Motion" { effective 2026-01-01 }
    party acme "Acme Robotics, Inc."
    party globex "Globex Corporation"
    fields { robotics }
    asset motion: patent family of acme
    grant to_globex: acme -> globex {
      assets motion  field robotics  territory worldwide  non-exclusive
      royalty 2.0000000000000000000000000000001% of net sales
    }

Fixed:

    (as above, with the royalty written as)
      royalty 2% of net sales

Round the figure to the precision the agreement means, or use a larger unit."#,
    },
    CodeInfo {
        code: "E0301",
        family: "conflict",
        title: "exclusivity conflict",
        explanation: r#"`exclusive` means no one else, the licensor included, may exercise the rights
in the grant's scope; `sole` means the licensor keeps its own right but
grants no other licensee; `non-exclusive` promises nothing. So an exclusive or
sole grant may not overlap a grant of the same asset to a different licensee,
and an exclusive grant may not overlap rights its licensor keeps with
`reserve ... for` unless it is written `exclusive subject to` that named
reservation. Overlap is judged on effective scopes: a patent asset exists only
in its patents' countries and until they expire. A grant the exclusive
licensee makes onward, within its own grant, is a sublicense and no conflict.
The witness names the asset, right, field, territory and period in common.

Wrong:

    agreement "Motion" { effective 2026-01-01  term 5 years }
    party acme "Acme"   party globex "Globex"   party initech "Initech"
    fields { robotics }
    asset motion: patent family of acme
    grant to_globex: acme -> globex {
      assets motion  field robotics  territory worldwide  exclusive
    }
    grant to_initech: acme -> initech {
      assets motion  field robotics  territory [US]  non-exclusive
    }

Fixed:

    (as above, with the exclusive grant's territory written as)
      territory worldwide except [US]

Narrow one grant so the scopes no longer meet, or make the grant non-exclusive."#,
    },
    CodeInfo {
        code: "E0302",
        family: "conflict",
        title: "grant covers a reserved scope",
        explanation: r#"`reserve A` keeps asset A out of every license, and `reserve A { scope }`
keeps that part of it out: no grant of any exclusivity may cover it. This is
how a drafter fences off crown jewels, such as a trade secret, or a market
promised elsewhere. It is different from `reserve A for P { scope }`, which
only records what the owner keeps for its own use; that form conflicts with
exclusive grants alone (E0301). The witness shows the covered part.

Wrong:

    agreement "Motion" { effective 2026-01-01  term 5 years }
    party acme "Acme Robotics, Inc."
    party globex "Globex Corporation"
    fields { robotics }
    asset motion: patent family of acme
    reserve motion { territory [CN] }
    grant to_globex: acme -> globex {
      assets motion  field robotics  territory worldwide  non-exclusive
    }

Fixed:

    (as above, with the grant's territory written as)
      territory worldwide except [CN]

Carve the reserved scope out of the grant with `except`, or lift the reservation."#,
    },
    CodeInfo {
        code: "E0303",
        family: "conflict",
        title: "licensor has no right to grant",
        explanation: r#"A party can license only what it owns (alone or jointly) or what it holds
under a grant that lets it sublicense, and only within that grant's scope.
`sublicense affiliates` lets a licensee grant onward to its own affiliates
only; `sublicense free` and `sublicense with consent` to anyone; the default
`none` to no one. A license from someone without the right conveys nothing,
and the licensee would be exposed to the owner's infringement claims.

Wrong:

    agreement "Motion" { effective 2026-01-01  term 5 years }
    party acme "Acme"   party globex "Globex"   party initech "Initech"
    fields { robotics }
    asset motion: patent family of acme
    grant to_globex: acme -> globex {
      assets motion  field robotics  territory worldwide  non-exclusive
    }
    grant to_initech: globex -> initech {
      assets motion  field robotics  territory [US]  non-exclusive
    }

Fixed:

    (as above, with the first grant allowing sublicenses)
    grant to_globex: acme -> globex {
      assets motion  field robotics  territory worldwide  non-exclusive  sublicense free
    }

Let the owner grant directly, or give the licensor a sublicensable grant."#,
    },
    CodeInfo {
        code: "E0304",
        family: "conflict",
        title: "grant scope is empty",
        explanation: r#"After every `except` is applied, nothing is left in one dimension of the
grant (assets, rights, field, territory or time), so the grant licenses
nothing at all. This is nearly always a reversed subtraction or an exception
that is wider than what it is taken from. The witness names the dimension
that became empty. Below, every EU country is in the EEA, so nothing is left;
what was meant is Iceland, Liechtenstein and Norway.

Wrong:

    agreement "Motion" { effective 2026-01-01 }
    party acme "Acme Robotics, Inc."
    party globex "Globex Corporation"
    fields { robotics }
    asset motion: patent family of acme
    grant to_globex: acme -> globex {
      assets motion  field robotics  territory EU except EEA  non-exclusive
    }

Fixed:

    (as above, with the territory written as)
      territory EEA except EU

Reverse the subtraction or narrow the exception so something remains."#,
    },
    CodeInfo {
        code: "E0305",
        family: "conflict",
        title: "conflicting improvement ownership",
        explanation: r#"Two improvement rules for the same base asset say different things about
who owns improvements (`improver`, `base owner` or `joint`). The rules may
sit in different agreements; ownership of an improvement can only be
decided once, so any patent filed on one would have two claimed owners.
Both rules are labeled.

Wrong:

    agreement "Motion" { effective 2026-01-01  term 5 years }
    party acme "Acme Robotics, Inc."
    party globex "Globex Corporation"
    asset motion: patent family of acme
    improvements on motion { owner improver }
    improvements on motion { owner base owner }

Fixed:

    agreement "Motion" { effective 2026-01-01  term 5 years }
    party acme "Acme Robotics, Inc."
    party globex "Globex Corporation"
    asset motion: patent family of acme
    improvements on motion { owner improver }

Keep one ownership rule per base asset and amend the other agreement."#,
    },
    CodeInfo {
        code: "E0306",
        family: "conflict",
        title: "duplicate or orphaned sunset clause",
        explanation: r#"Each grant may have at most one `sunset` clause, and a sunset must name a
grant that exists. Two sunsets for one grant could give two renewal
schedules or two wind-down periods; a sunset for a missing grant (often a
grant that was renamed) governs nothing, and the drafter's exit terms are
silently lost.

Wrong:

    agreement "Motion" { effective 2026-01-01  term 10 years }
    party acme "Acme Robotics, Inc."
    party globex "Globex Corporation"
    fields { robotics }
    asset motion: patent family of acme
    grant to_globex: acme -> globex {
      assets motion  field robotics  territory worldwide  non-exclusive
    }
    sunset to_globex { wind down 180 days }
    sunset to_globex { renegotiate every 2 years }

Fixed:

    (as above, with the two sunsets merged)
    sunset to_globex { renegotiate every 2 years  wind down 180 days }

Merge the sunsets of one grant, or point the sunset at the right grant."#,
    },
    CodeInfo {
        code: "E0307",
        family: "conflict",
        title: "wind-down overlaps a later exclusive grant",
        explanation: r#"During a wind-down period after its grant ends, a former licensee may still
`sell`, `offer` and `distribute` to clear its inventory. If the same scope
was already granted exclusively to someone else from the end of that grant,
those sales breach the new licensee's exclusivity. The witness gives the
days in which the two overlap.

Wrong:

    agreement "Motion" { effective 2026-01-01  term 10 years }
    party acme "Acme"   party globex "Globex"   party initech "Initech"
    fields { robotics }
    asset motion: patent family of acme
    grant to_globex: acme -> globex {
      assets motion  field robotics  territory worldwide  non-exclusive
      term 2026-01-01 until 2029-01-01
    }
    sunset to_globex { wind down 180 days }
    grant to_initech: acme -> initech {
      assets motion  field robotics  territory worldwide  exclusive
      term 2029-01-01 until 2036-01-01
    }

Fixed:

    (as above, with the exclusive grant starting after the wind-down)
      term 2029-07-01 until 2036-01-01

Start the exclusive grant after the wind-down, or shorten the wind-down."#,
    },
    // ------------------------------------------------------------------ policy
    CodeInfo {
        code: "E0308",
        family: "conflict",
        title: "one patent declared with different facts",
        explanation: r#"A patent is identified by its number across every asset that lists it: the
same number in a patent family and in a capture-period asset, or in two
families, is one patent, and a license under either asset is a license
under it. Its declarations must therefore agree on its owners (the owners
of the declaring assets), the countries where it is in force, its filing
date and its expiry. Numbers are compared ignoring spaces, commas, periods
and a trailing kind code, so `US 11,234,567` and `US11234567B2` are one
patent.

Wrong:

    agreement "Motion" { effective 2026-01-01  term 5 years }
    party acme "Acme"   party globex "Globex"
    fields { robotics }
    asset motion: patent family of acme { patent "US 11,234,567" expires 2038-05-01 }
    asset motion_us: patent of acme { patent "US11234567" expires 2039-05-01 }

Fixed:

    asset motion: patent family of acme { patent "US 11,234,567" expires 2038-05-01 }
    asset motion_us: patent of acme { patent "US11234567" expires 2038-05-01 }

Correct one declaration, or give different patents different numbers."#,
    },
    CodeInfo {
        code: "E0309",
        family: "conflict",
        title: "sublicense more exclusive than the license held",
        explanation: r#"A licensee can pass on only what it holds. A non-exclusive licensee that
grants an exclusive or sole sublicense promises its sublicensee that no one
else will be licensed, but the owner keeps the right to practise and to
license others, and no sublicense can take that away. A sole licensee may
grant sole or non-exclusive sublicenses, not an exclusive one (that would
shut out the owner, which a sole license leaves in).

Wrong:

    agreement "Motion" { effective 2026-01-01  term 5 years }
    party acme "Acme"   party globex "Globex"   party initech "Initech"
    fields { robotics }
    asset motion: patent family of acme
    grant to_globex: acme -> globex {
      assets motion  field robotics  territory worldwide  non-exclusive  sublicense free
    }
    grant to_initech: globex -> initech {
      assets motion  field robotics  territory [US]  exclusive
    }

Fixed:

    grant to_initech: globex -> initech {
      assets motion  field robotics  territory [US]  non-exclusive
    }

Make the sublicense no more exclusive than the license it is made under, or
have the owner grant the licensee an exclusive license first."#,
    },
    CodeInfo {
        code: "E0310",
        family: "conflict",
        title: "rights reserved for someone who does not own the asset",
        explanation: r#"`reserve ASSET for PARTY { … }` records rights an owner keeps for its own
use (or for one of its affiliates): exclusive grants must leave them out
or be made `subject to` them. A party that neither owns the asset nor is an
affiliate of an owner has nothing to keep; if it is to use the asset, it
needs a license.

Wrong:

    agreement "Motion" { effective 2026-01-01  term 5 years }
    party acme "Acme"   party globex "Globex"
    fields { robotics }
    asset motion: patent family of acme
    reserve research: motion for globex { rights make, use }

Fixed:

    reserve research: motion for acme { rights make, use }

Name the owner or one of its affiliates, or write a grant to license the
other party."#,
    },
    CodeInfo {
        code: "E0311",
        family: "conflict",
        title: "exclusive license to several licensees",
        explanation: r#"An exclusive license keeps everyone else out, the licensor included; a
sole license keeps every other licensee out. Either can go to one licensee
only. In a pool, `-> members` licenses every other member at once, so it
cannot be exclusive or sole.

Wrong:

    agreement "Pool" { effective 2026-01-01  term 5 years  kind pool
      parties a, b, c }
    party a "A"   party b "B"   party c "C"
    fields { video }
    asset a_codec: patent family of a
    grant a_pool: a -> members {
      assets a_codec  field video  territory worldwide  exclusive
    }

Fixed:

    grant a_pool: a -> members {
      assets a_codec  field video  territory worldwide  non-exclusive
    }

Make the license non-exclusive, or grant exclusively to one member."#,
    },
    CodeInfo {
        code: "W0401",
        family: "policy",
        title: "grant-back covers all improvements",
        explanation: r#"A grant-back with `covers all` takes every improvement the licensee makes to
the base asset, including ones developed on its own, outside the
collaboration and without the licensor's help. Competition authorities view
such broad grant-backs with suspicion, because they blunt the licensee's
incentive to innovate, and a court may refuse to enforce them. `covers
collaboration` limits the grant-back to improvements made in the joint work.

Wrong:

    agreement "Motion" { effective 2026-01-01  term 5 years }
    party acme "Acme Robotics, Inc."
    party globex "Globex Corporation"
    asset motion: patent family of acme
    improvements on motion {
      owner improver
      grant back globex -> acme {
        covers all  non-exclusive  royalty-free  sunset after 3 years
      }
    }

Fixed:

    (as above, with the grant-back written as)
      grant back globex -> acme {
        covers collaboration  non-exclusive  royalty-free  sunset after 3 years
      }

Limit the grant-back to collaboration improvements unless counsel approves."#,
    },
    CodeInfo {
        code: "W0402",
        family: "policy",
        title: "exclusive grant-back",
        explanation: r#"An exclusive grant-back makes the licensee hand over the exclusive use of
its own improvements, so it cannot use or license its own work. This is a
known antitrust red flag: the EU technology transfer block exemption does
not cover such an obligation, and the US antitrust guidelines for IP
licensing treat non-exclusive grant-backs as far less likely to raise
concerns. A non-exclusive grant-back gives the licensor access without that
risk.

Wrong:

    agreement "Motion" { effective 2026-01-01  term 5 years }
    party acme "Acme Robotics, Inc."
    party globex "Globex Corporation"
    asset motion: patent family of acme
    improvements on motion {
      owner improver
      grant back globex -> acme {
        covers collaboration  exclusive  royalty-free  sunset after 3 years
      }
    }

Fixed:

    (as above, with the grant-back written as)
      grant back globex -> acme {
        covers collaboration  non-exclusive  royalty-free  sunset after 3 years
      }

Make the grant-back non-exclusive, or have counsel review it."#,
    },
    CodeInfo {
        code: "W0403",
        family: "policy",
        title: "grant-back without a sunset or outliving its license",
        explanation: r#"A grant-back should end no later than the license it is tied to. This
warning has two forms: the grant-back states no `sunset after`, so it runs
as long as the agreement (forever in a perpetual one), or its sunset falls
after the end of the license. A licensee that keeps owing its improvements
after its own license has ended gets nothing in return, which is both a
competition and an enforceability risk. `sunset after N years` counts from
the agreement's `effective` date.

Wrong:

    agreement "Motion" { effective 2026-01-01  term 5 years }
    party acme "Acme Robotics, Inc."
    party globex "Globex Corporation"
    asset motion: patent family of acme
    improvements on motion {
      grant back globex -> acme {
        covers collaboration  non-exclusive  royalty-free
      }
    }

Fixed:

    (as above, with the grant-back written as)
      grant back globex -> acme {
        covers collaboration  non-exclusive  royalty-free  sunset after 3 years
      }

Add a `sunset after` that ends no later than the license it depends on."#,
    },
    CodeInfo {
        code: "W0404",
        family: "policy",
        title: "cross-license is not reciprocal",
        explanation: r#"In an agreement of kind `cross-license` (the default) each party is expected
to license something to another. When a party grants nothing, the document
is a one-way license, and the drafting usually lost a clause: the party
receiving without giving has nothing in the agreement that pays for it.
The label points at the party that grants nothing.

Wrong:

    agreement "Motion" { effective 2026-01-01  term 5 years }
    party acme "Acme Robotics, Inc."
    party globex "Globex Corporation"
    fields { robotics }
    asset motion: patent family of acme
    asset lidar: patent family of globex
    grant to_globex: acme -> globex {
      assets motion  field robotics  territory worldwide  non-exclusive
    }

Fixed:

    (as above, adding the grant in the other direction)
    grant to_acme: globex -> acme {
      assets lidar  field robotics  territory worldwide  non-exclusive
    }

Add the missing grant, or give the one-way license its own consideration."#,
    },
    CodeInfo {
        code: "W0405",
        family: "policy",
        title: "redundant grant",
        explanation: r#"A grant lies wholly inside another grant between the same licensor and
licensee, on the same terms (exclusivity, sublicensing, consideration). It
adds nothing, and usually it is a leftover of an earlier draft. If the
narrower grant was meant to differ, for example to carry a royalty in one
market, its terms must say so; then it is no longer redundant.

Wrong:

    agreement "Motion" { effective 2026-01-01  term 5 years }
    party acme "Acme Robotics, Inc."
    party globex "Globex Corporation"
    fields { robotics { industrial consumer } }
    asset motion: patent family of acme
    grant broad: acme -> globex {
      assets motion  field robotics  territory worldwide  non-exclusive
    }
    grant narrow: acme -> globex {
      assets motion  field robotics.consumer  territory [US]  non-exclusive
    }

Fixed:

    (as above, keeping only the broader grant)
    grant broad: acme -> globex {
      assets motion  field robotics  territory worldwide  non-exclusive
    }

Delete the contained grant, or give it the terms that make it different."#,
    },
    CodeInfo {
        code: "W0406",
        family: "policy",
        title: "except removes nothing",
        explanation: r#"An `except` subtracts fields or territories that were not in the scope to
begin with, so it changes nothing. That is almost always a mistake in what
the drafter thinks the group contains, or a typo: Switzerland (`CH`) is not
in the `EU`, and `CZ` is Czechia, not Switzerland. The grant then covers
more than intended.

Wrong:

    agreement "Motion" { effective 2026-01-01 }
    party acme "Acme Robotics, Inc."
    party globex "Globex Corporation"
    fields { robotics }
    territory dach = [DE, AT, CH]
    asset motion: patent family of acme
    grant to_globex: acme -> globex {
      assets motion  field robotics  territory dach except [CZ]  non-exclusive
    }

Fixed:

    (as above, with the territory written as intended)
      territory dach except [CH]

Remove the `except`, or correct it to name something inside the scope."#,
    },
    CodeInfo {
        code: "W0407",
        family: "policy",
        title: "renewal could collide with an exclusive grant",
        explanation: r#"Renewals are options, not facts: the checker takes each grant's base term
as granted. It warns when exercising an automatic renewal would extend a
grant into an `exclusive` grant of the same scope to someone else, because
the licensor could then be bound to breach one of the two. Each renewal
adds its period; `at most N times` bounds how far the grant can reach.

Wrong:

    agreement "Motion" { effective 2026-01-01  term 10 years }
    party acme "Acme"   party globex "Globex"   party initech "Initech"
    fields { robotics }
    asset motion: patent family of acme
    grant to_globex: acme -> globex {
      assets motion  field robotics  territory worldwide  non-exclusive
      term 2026-01-01 until 2029-01-01
    }
    sunset to_globex { renew automatically for 1 year, at most 3 times, notice 90 days }
    grant to_initech: acme -> initech {
      assets motion  field robotics  territory worldwide  exclusive
      term 2030-01-01 until 2036-01-01
    }

Fixed:

    (as above, with the exclusive grant starting after the last renewal)
      term 2032-01-01 until 2036-01-01

Bound the renewals, or start the exclusive grant after the last one."#,
    },
    CodeInfo {
        code: "W0408",
        family: "policy",
        title: "royalty runs past patent expiry",
        explanation: r#"The grant charges a royalty for a period after every licensed patent has
expired in the grant's territory. In the US, royalties for use after a
patent expires are unenforceable (Brulotte v. Thys, 1964; confirmed in
Kimble v. Marvel, 2015), and the clause could be void. `term until expiry`
ends the grant with the last licensed patent, per territory. When know-how
is licensed too, put it in its own grant, so that any later royalty is
clearly for the know-how.

Wrong:

    agreement "Motion" { effective 2026-01-01  term 10 years }
    party acme "Acme Robotics, Inc."
    party globex "Globex Corporation"
    fields { robotics }
    asset motion: patent family of acme { patent "US 11,234,567" expires 2030-05-01 }
    grant to_globex: acme -> globex {
      assets motion  field robotics  territory [US]  non-exclusive
      term 2026-01-01 until 2034-01-01  royalty 3% of net sales
    }

Fixed:

    (as above, with the term written as)
      term until expiry  royalty 3% of net sales

End the royalty-bearing term when the last licensed patent expires."#,
    },
    CodeInfo {
        code: "W0409",
        family: "policy",
        title: "grant conveys nothing under a patent asset",
        explanation: r#"For one of its patent assets, the grant's territory and term never meet a
country and period in which one of that asset's patents is in force, so it
licenses nothing under that asset; the licensee may be paying for nothing.
A worldwide grant of a family with patents in only a few countries is
normal and is not reported; this warning is for grants that miss them all.

Wrong:

    agreement "Lidar" { effective 2026-01-01  term 5 years }
    party acme "Acme Robotics, Inc."
    party globex "Globex Corporation"
    fields { automotive }
    asset lidar: patent family of globex {
      patent "US 10,111,222" expires 2033-01-01
      patent "JP 6 543 210" expires 2034-01-01
    }
    grant to_acme: globex -> acme {
      assets lidar  field automotive  territory EU  non-exclusive
    }

Fixed:

    (as above, with the grant's territory written as)
      territory [US, JP]

Grant where the patents are in force, or list the patents that are missing."#,
    },
    CodeInfo {
        code: "W0410",
        family: "policy",
        title: "co-owner licenses exclusively alone",
        explanation: r#"When an asset has several owners, one of them licensing it exclusively (or
as sole licensor) on its own may not bind the others. In the US each
co-owner may license non-exclusively without the others, but an exclusive
license excludes the other co-owners only if they join (35 U.S.C. § 262);
in the UK a co-owner needs the others' consent to license at all (Patents
Act 1977, s. 36), and in France an exclusive license needs every co-owner's
consent (Code de la propriété intellectuelle, art. L613-29). The warning is
silent when every other co-owner grants the same licensee the same kind of
license of the asset.

Wrong:

    agreement "Joint" { effective 2026-01-01  term 5 years }
    party acme "Acme"   party globex "Globex"   party initech "Initech"
    fields { robotics }
    asset joint_motion: patent family of acme, globex
    grant to_initech: acme -> initech {
      assets joint_motion  field robotics  territory worldwide  exclusive
    }

Fixed:

    (as above, with the other co-owner joining)
    grant to_initech_too: globex -> initech {
      assets joint_motion  field robotics  territory worldwide  exclusive
    }

Have every co-owner grant the same license, or make it non-exclusive."#,
    },
    CodeInfo {
        code: "W0411",
        family: "policy",
        title: "renewal runs past the agreement or the patents",
        explanation: r#"An automatic renewal option, exercised every time it can be, would carry
the grant past the end of its agreement (where the license ends anyway,
unless the sunset clause says `survives license`), or past the expiry of
every patent it licenses (where it conveys nothing). Renewals by mutual
consent are new bargains and are not judged. When the grant bears a running
royalty, renewals past patent expiry are W0408 instead.

Wrong:

    agreement "Motion" { effective 2026-01-01  term 5 years }
    party acme "Acme"   party globex "Globex"
    fields { robotics }
    asset motion: patent family of acme
    grant to_globex: acme -> globex {
      assets motion  field robotics  territory worldwide  term for 3 years  non-exclusive
    }
    sunset to_globex { renew automatically for 2 years, at most 3 times }

Fixed:

    sunset to_globex { renew automatically for 2 years, at most 1 times }

Cap the renewals within the agreement and the patents' lives, renew the
agreement too, or say that the license survives it."#,
    },
    CodeInfo {
        code: "W0412",
        family: "policy",
        title: "improvement rule without a base license",
        explanation: r#"A grant-back flows from the licensee of a base asset to its licensor; a
license-forward from the licensor to the licensee. When no grant of the
agreement licenses the base asset between those two parties in that
direction, the rule is tied to nothing: most often its parties are the
wrong way round.

Wrong:

    agreement "Motion" { effective 2026-01-01  term 5 years }
    party acme "Acme"   party globex "Globex"
    fields { robotics }
    asset motion: patent family of acme
    grant to_globex: acme -> globex {
      assets motion  field robotics  territory worldwide  non-exclusive
    }
    improvements on motion {
      grant back acme -> globex { non-exclusive  sunset after 3 years }
    }

Fixed:

    improvements on motion {
      grant back globex -> acme { non-exclusive  sunset after 3 years }
    }

Check the direction of the rule, or license the base asset between the two
parties."#,
    },
    CodeInfo {
        code: "W0413",
        family: "policy",
        title: "grant-back of improvements the owner already owns",
        explanation: r#"With `owner base owner`, improvements belong to the owner of the base
asset. A grant-back to that owner then licenses it what it already owns:
the clause is redundant at best, and at worst suggests the parties meant
the improver to keep the improvements and license them back.

Wrong:

    agreement "Motion" { effective 2026-01-01  term 5 years }
    party acme "Acme"   party globex "Globex"
    fields { robotics }
    asset motion: patent family of acme
    grant to_globex: acme -> globex {
      assets motion  field robotics  territory worldwide  non-exclusive
    }
    improvements on motion {
      owner base owner
      grant back globex -> acme { non-exclusive  sunset after 3 years }
    }

Fixed:

    improvements on motion {
      owner improver
      grant back globex -> acme { non-exclusive  sunset after 3 years }
    }

Remove the grant-back, or make the improver the owner."#,
    },
    CodeInfo {
        code: "W0414",
        family: "policy",
        title: "party licenses itself",
        explanation: r#"A grant whose licensee is its own licensor conveys nothing: a party needs
no license of its own rights. It is usually a slip for the other party,
and it does not count as a grant in return in a cross-license (W0404).

Wrong:

    agreement "Motion" { effective 2026-01-01  term 5 years  kind license }
    party acme "Acme"   party globex "Globex"
    fields { robotics }
    asset motion: patent family of acme
    grant to_globex: acme -> acme {
      assets motion  field robotics  territory worldwide  non-exclusive
    }

Fixed:

    grant to_globex: acme -> globex {
      assets motion  field robotics  territory worldwide  non-exclusive
    }

Name the other party as licensee, or remove the grant."#,
    },
    CodeInfo {
        code: "W0415",
        family: "policy",
        title: "payment due outside the term",
        explanation: r#"A lump sum falls due on a date before the grant (and its agreement)
starts, or on or after the license ends. Payments are normally due within
the term: an upfront fee on the effective date, instalments while the
license runs. A date outside is usually a typo in the year.

Wrong:

    agreement "Motion" { effective 2026-01-01  term 5 years  kind license }
    party acme "Acme"   party globex "Globex"
    fields { robotics }
    asset motion: patent family of acme
    grant to_globex: acme -> globex {
      assets motion  field robotics  territory worldwide  non-exclusive
      lump sum 100_000 USD on 2036-01-01
    }

Fixed:

      lump sum 100_000 USD on 2026-01-01

Check the due date against the grant's term."#,
    },
    CodeInfo {
        code: "W0416",
        family: "policy",
        title: "sublicensing to affiliates that do not exist",
        explanation: r#"`sublicense affiliates` lets the licensee grant onward to its own
affiliates only. Affiliates are named in the party's declaration
(`affiliate ID "Legal Name"`); when the licensee declares none, the right
reaches no one, which is seldom what the parties meant.

Wrong:

    agreement "Motion" { effective 2026-01-01  term 5 years  kind license }
    party acme "Acme"   party globex "Globex"
    fields { robotics }
    asset motion: patent family of acme
    grant to_globex: acme -> globex {
      assets motion  field robotics  territory worldwide  non-exclusive
      sublicense affiliates
    }

Fixed:

    party globex "Globex" { affiliate globex_uk "Globex UK Limited" }

Declare the licensee's affiliates, or choose another sublicensing right."#,
    },
    CodeInfo {
        code: "W0417",
        family: "policy",
        title: "surviving obligation the agreement does not contain",
        explanation: r#"A sunset clause lists what survives the grant's end. For the obligations
the compiler knows, it checks that the agreement contains them:
`improvements` needs an improvements clause, `grant-backs` a grant-back,
and `royalties` or `payments` a grant that is not royalty-free. Other words
(`confidentiality`, `audit`, …) name provisions outside the model and are
not checked. `license` is not an obligation: it makes the license itself
survive the agreement.

Wrong:

    agreement "Motion" { effective 2026-01-01  term 5 years  kind license }
    party acme "Acme"   party globex "Globex"
    fields { robotics }
    asset motion: patent family of acme
    grant to_globex: acme -> globex {
      assets motion  field robotics  territory worldwide  non-exclusive
    }
    sunset to_globex { survives improvements }

Fixed:

    sunset to_globex { survives confidentiality }

Remove the word, or add the clause it refers to."#,
    },
];

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    const FAMILIES: &[&str] = &["syntax", "names", "values", "conflict", "policy"];

    #[test]
    fn codes_are_unique_and_sorted() {
        for pair in ALL.windows(2) {
            assert!(
                pair[0].code < pair[1].code,
                "{} before {}",
                pair[0].code,
                pair[1].code
            );
        }
    }

    #[test]
    fn every_required_code_is_present() {
        let mut wanted: Vec<String> = Vec::new();
        for n in [1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13] {
            wanted.push(format!("E{n:04}"));
        }
        for n in 101..=106 {
            wanted.push(format!("E{n:04}"));
        }
        for n in 201..=209 {
            wanted.push(format!("E{n:04}"));
        }
        for n in 301..=311 {
            wanted.push(format!("E{n:04}"));
        }
        for n in 401..=417 {
            wanted.push(format!("W{n:04}"));
        }
        for code in &wanted {
            assert!(lookup(code).is_some(), "missing {code}");
        }
        assert_eq!(ALL.len(), wanted.len());
    }

    #[test]
    fn entries_are_well_formed() {
        for info in ALL {
            assert!(FAMILIES.contains(&info.family), "{}", info.code);
            assert_eq!(info.code.len(), 5, "{}", info.code);
            let expected_family = match &info.code[..3] {
                "E00" => "syntax",
                "E01" => "names",
                "E02" => "values",
                "E03" => "conflict",
                "W04" => "policy",
                _ => "no family for this prefix",
            };
            assert_eq!(info.family, expected_family, "{}", info.code);
            assert!(!info.title.is_empty());
            assert_eq!(info.title, info.title.to_lowercase(), "{}", info.code);
            assert!(!info.title.ends_with('.'), "{}", info.code);
            let text = info.explanation;
            assert!(text.contains("\nWrong"), "{} lacks Wrong:", info.code);
            assert!(text.contains("\nFixed"), "{} lacks Fixed:", info.code);
            assert!(
                text.contains("Wrong:") || text.contains("Wrong ("),
                "{}",
                info.code
            );
            assert!(text.find("Wrong") < text.find("Fixed"), "{}", info.code);
            let lines = text.lines().count();
            assert!((8..=30).contains(&lines), "{} has {lines} lines", info.code);
            assert!(
                !text.ends_with('\n') && !text.starts_with('\n'),
                "{}",
                info.code
            );
            for line in text.lines() {
                assert_eq!(line, line.trim_end(), "{}: trailing blank", info.code);
            }
        }
    }

    #[test]
    fn explanations_mention_wrong_and_fixed_sections() {
        for info in ALL {
            let has = |word: &str| {
                info.explanation
                    .lines()
                    .any(|l| l.starts_with(word) && l.trim_end().ends_with(':'))
            };
            assert!(has("Wrong"), "{}", info.code);
            assert!(has("Fixed"), "{}", info.code);
        }
    }

    #[test]
    fn lookup_ignores_case() {
        assert_eq!(lookup("E0101").map(|i| i.code), Some("E0101"));
        assert_eq!(lookup("e0101").map(|i| i.code), Some("E0101"));
        assert_eq!(lookup("w0408").map(|i| i.code), Some("W0408"));
        assert_eq!(lookup(" E0301 ").map(|i| i.code), Some("E0301"));
        assert!(lookup("E9999").is_none());
        assert!(lookup("").is_none());
        assert!(lookup("0101").is_none());
    }
}
