//! The other parts of the Word package: content types, relationships, document
//! properties, settings, the bullet list's numbering and the styles.

use super::*;

pub(super) fn content_types() -> String {
    let over = |part: &str, kind: &str| {
        format!("<Override PartName=\"{part}\" ContentType=\"application/vnd.openxmlformats-{kind}+xml\"/>")
    };
    format!(
        "{XML_DECL}<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
{}{}{}{}{}{}{}{}</Types>\n",
        over(
            "/word/document.xml",
            "officedocument.wordprocessingml.document.main"
        ),
        over("/word/styles.xml", "officedocument.wordprocessingml.styles"),
        over(
            "/word/numbering.xml",
            "officedocument.wordprocessingml.numbering"
        ),
        over("/word/settings.xml", "officedocument.wordprocessingml.settings"),
        over("/word/header1.xml", "officedocument.wordprocessingml.header"),
        over("/word/footer1.xml", "officedocument.wordprocessingml.footer"),
        over("/docProps/core.xml", "package.core-properties"),
        over("/docProps/app.xml", "officedocument.extended-properties"),
    )
}

fn relationships(list: &[(&str, &str)]) -> String {
    let mut out = format!(
        "{XML_DECL}<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    );
    for (i, (kind, target)) in list.iter().enumerate() {
        out.push_str(&format!(
            "<Relationship Id=\"rId{}\" Type=\"{kind}\" Target=\"{target}\"/>",
            i + 1
        ));
    }
    out.push_str("</Relationships>\n");
    out
}

const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

pub(super) fn package_rels() -> String {
    relationships(&[
        (&format!("{REL}/officeDocument"), "word/document.xml"),
        (
            "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
            "docProps/core.xml",
        ),
        (&format!("{REL}/extended-properties"), "docProps/app.xml"),
    ])
}

pub(super) fn document_rels() -> String {
    relationships(&[
        (&format!("{REL}/styles"), "styles.xml"),
        (&format!("{REL}/numbering"), "numbering.xml"),
        (&format!("{REL}/settings"), "settings.xml"),
        (&format!("{REL}/header"), "header1.xml"),
        (&format!("{REL}/footer"), "footer1.xml"),
    ])
}

/// The relationship ids of the header and footer in `document.xml.rels`.
pub(super) const HEADER_REL: &str = "rId4";
pub(super) const FOOTER_REL: &str = "rId5";

/// Every page's header: the title (of the one agreement, else "Agreements"), right
/// aligned, after a bold "DRAFT" legend when the options ask for one.
pub(super) fn header(docs: &[AgreementDoc], options: ProseOptions) -> String {
    let title = match docs {
        [one] => one.title.as_str(),
        _ => "Agreements",
    };
    let draft = if options.draft {
        "<w:r><w:rPr><w:b/><w:bCs/><w:color w:val=\"B3261E\"/></w:rPr><w:t xml:space=\"preserve\">DRAFT \u{2014} subject to contract</w:t></w:r><w:r><w:t xml:space=\"preserve\"> \u{b7} </w:t></w:r>"
    } else {
        ""
    };
    format!(
        "{XML_DECL}<w:hdr xmlns:w=\"{W_NS}\"><w:p><w:pPr><w:pStyle w:val=\"Header\"/></w:pPr>{draft}{}</w:p></w:hdr>\n",
        run(title, None)
    )
}

/// Every page's footer: "Page N of M", centred, with Word's PAGE and NUMPAGES fields
/// (the digits are placeholders a word processor replaces when it lays the pages out).
pub(super) fn footer() -> String {
    let field = |instr: &str| {
        format!("<w:fldSimple w:instr=\" {instr} \"><w:r><w:t>1</w:t></w:r></w:fldSimple>")
    };
    format!(
        "{XML_DECL}<w:ftr xmlns:w=\"{W_NS}\"><w:p><w:pPr><w:pStyle w:val=\"Footer\"/></w:pPr>{}{}{}{}</w:p></w:ftr>\n",
        run("Page ", None),
        field("PAGE"),
        run(" of ", None),
        field("NUMPAGES")
    )
}

/// The document properties: the title, the kind of agreement and the source; created on
/// the (first) agreement's effective date when it has one, else no date at all.
pub(super) fn core(docs: &[AgreementDoc]) -> String {
    let titles: Vec<&str> = docs.iter().map(|d| d.title.as_str()).collect();
    let title = if titles.is_empty() {
        "No agreement".to_string()
    } else {
        titles.join("; ")
    };
    let mut out = format!(
        "{XML_DECL}<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>{}</dc:title>",
        escape(&title)
    );
    if let Some(d) = docs.first() {
        out.push_str(&format!(
            "<dc:subject>{}</dc:subject><dc:description>Compiled by xlic from {}</dc:description>",
            escape(&crate::text::agreement_kind_label(d.kind)),
            escape(&d.source)
        ));
    }
    if let Some(date) = docs.first().and_then(|d| d.effective) {
        let (y, m, day) = date.ymd();
        let stamp = format!("{y:04}-{m:02}-{day:02}T00:00:00Z");
        out.push_str(&format!(
            "<dcterms:created xsi:type=\"dcterms:W3CDTF\">{stamp}</dcterms:created><dcterms:modified xsi:type=\"dcterms:W3CDTF\">{stamp}</dcterms:modified>"
        ));
    }
    out.push_str("</cp:coreProperties>\n");
    out
}

pub(super) fn app() -> String {
    format!(
        "{XML_DECL}<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\"><Application>xlic</Application></Properties>\n"
    )
}

pub(super) fn settings() -> String {
    format!(
        "{XML_DECL}<w:settings xmlns:w=\"{W_NS}\"><w:defaultTabStop w:val=\"{STEP}\"/><w:characterSpacingControl w:val=\"doNotCompress\"/><w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat></w:settings>\n"
    )
}

/// One bullet list, nine levels, for the tree of fields of use. The indent of each item
/// is set on its paragraph (it depends on the clause it is in).
pub(super) fn numbering() -> String {
    let mut out = format!(
        "{XML_DECL}<w:numbering xmlns:w=\"{W_NS}\"><w:abstractNum w:abstractNumId=\"0\"><w:multiLevelType w:val=\"hybridMultilevel\"/>"
    );
    for level in 0..9u32 {
        let bullet = if level % 2 == 0 {
            "\u{2022}"
        } else {
            "\u{2013}"
        };
        out.push_str(&format!(
            "<w:lvl w:ilvl=\"{level}\"><w:start w:val=\"1\"/><w:numFmt w:val=\"bullet\"/><w:lvlText w:val=\"{bullet}\"/><w:lvlJc w:val=\"left\"/><w:pPr><w:ind w:left=\"{}\" w:hanging=\"360\"/></w:pPr></w:lvl>",
            STEP + 360 * (level + 1)
        ));
    }
    out.push_str(
        "</w:abstractNum><w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num></w:numbering>\n",
    );
    out
}

/// A paragraph style: id, display name, what it is based on, paragraph and run
/// properties.
fn paragraph_style(id: &str, name: &str, based_on: &str, ppr: &str, rpr: &str) -> String {
    let based = if based_on.is_empty() {
        String::new()
    } else {
        format!("<w:basedOn w:val=\"{based_on}\"/>")
    };
    format!(
        "<w:style w:type=\"paragraph\" w:styleId=\"{id}\"><w:name w:val=\"{name}\"/>{based}<w:next w:val=\"BodyText\"/><w:qFormat/><w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>"
    )
}

fn character_style(id: &str, name: &str, rpr: &str) -> String {
    format!(
        "<w:style w:type=\"character\" w:styleId=\"{id}\"><w:name w:val=\"{name}\"/><w:qFormat/><w:rPr>{rpr}</w:rPr></w:style>"
    )
}

pub(super) fn styles() -> String {
    let serif = "<w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:eastAsia=\"Times New Roman\" w:cs=\"Times New Roman\"/>";
    let mono = "<w:rFonts w:ascii=\"Courier New\" w:hAnsi=\"Courier New\" w:eastAsia=\"Courier New\" w:cs=\"Courier New\"/>";
    let hang = |left: u32, hanging: u32| {
        format!("<w:spacing w:after=\"160\"/><w:ind w:left=\"{left}\" w:hanging=\"{hanging}\"/><w:jc w:val=\"both\"/>")
    };
    let heading = |level: u32, before: u32, extra: &str| {
        format!(
            "<w:keepNext/><w:keepLines/><w:spacing w:before=\"{before}\" w:after=\"160\"/>{extra}<w:outlineLvl w:val=\"{level}\"/>"
        )
    };
    let mut out = format!(
        "{XML_DECL}<w:styles xmlns:w=\"{W_NS}\"><w:docDefaults><w:rPrDefault><w:rPr>{serif}<w:sz w:val=\"22\"/><w:szCs w:val=\"22\"/><w:lang w:val=\"en-US\"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after=\"120\" w:line=\"264\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault></w:docDefaults>"
    );
    out.push_str("<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/></w:style>");
    out.push_str(&paragraph_style(
        "Heading1",
        "heading 1",
        "Normal",
        &heading(0, 0, "<w:jc w:val=\"center\"/>"),
        "<w:b/><w:bCs/><w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/>",
    ));
    out.push_str(&paragraph_style(
        "Heading2",
        "heading 2",
        "Normal",
        &heading(1, 360, ""),
        "<w:b/><w:bCs/><w:sz w:val=\"26\"/><w:szCs w:val=\"26\"/>",
    ));
    out.push_str(&paragraph_style(
        "Heading3",
        "heading 3",
        "Normal",
        &heading(2, 240, ""),
        "<w:b/><w:bCs/><w:i/><w:iCs/>",
    ));
    out.push_str(&paragraph_style(
        "BodyText",
        "Body Text",
        "Normal",
        "<w:spacing w:after=\"160\"/><w:jc w:val=\"both\"/>",
        "",
    ));
    out.push_str(&paragraph_style(
        "AgreementNote",
        "Agreement Note",
        "Normal",
        "<w:spacing w:after=\"240\"/><w:jc w:val=\"center\"/>",
        "<w:i/><w:iCs/><w:color w:val=\"595959\"/><w:sz w:val=\"18\"/><w:szCs w:val=\"18\"/>",
    ));
    out.push_str(&paragraph_style(
        "Party",
        "Party",
        "Normal",
        &hang(STEP, 360),
        "",
    ));
    out.push_str(&paragraph_style(
        "Recital",
        "Recital",
        "Normal",
        &hang(STEP, STEP),
        "",
    ));
    out.push_str(&paragraph_style(
        "Clause",
        "Clause",
        "Normal",
        &hang(STEP, STEP),
        "",
    ));
    out.push_str(&paragraph_style(
        "Subclause",
        "Subclause",
        "Normal",
        &hang(2 * STEP, STEP),
        "",
    ));
    out.push_str(&paragraph_style(
        "ClauseText",
        "Clause Text",
        "Normal",
        &hang(STEP, 0),
        "",
    ));
    out.push_str(&paragraph_style(
        "ClauseItem",
        "Clause Item",
        "Normal",
        &hang(STEP + 567, 567),
        "",
    ));
    out.push_str(&paragraph_style(
        "TreeItem",
        "Tree Item",
        "Normal",
        "<w:spacing w:after=\"40\"/>",
        "",
    ));
    out.push_str(&paragraph_style(
        "TableText",
        "Table Text",
        "Normal",
        "<w:spacing w:before=\"40\" w:after=\"40\" w:line=\"240\" w:lineRule=\"auto\"/>",
        "<w:sz w:val=\"18\"/><w:szCs w:val=\"18\"/>",
    ));
    out.push_str(&paragraph_style(
        "TableHeading",
        "Table Heading",
        "TableText",
        "<w:keepNext/>",
        "<w:b/><w:bCs/>",
    ));
    out.push_str(&paragraph_style(
        "AfterTable",
        "After Table",
        "Normal",
        "<w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/>",
        "<w:sz w:val=\"12\"/><w:szCs w:val=\"12\"/>",
    ));
    out.push_str(&character_style(
        "DefinedTerm",
        "Defined Term",
        "<w:b/><w:bCs/>",
    ));
    out.push_str(&character_style(
        "ClauseNumber",
        "Clause Number",
        "<w:b/><w:bCs/>",
    ));
    out.push_str(&character_style(
        "SourceCode",
        "Source Code",
        &format!("{mono}<w:sz w:val=\"18\"/><w:szCs w:val=\"18\"/>"),
    ));
    out.push_str(&character_style(
        "Hyperlink",
        "Hyperlink",
        "<w:color w:val=\"1F4E79\"/><w:u w:val=\"single\"/>",
    ));
    // The page header and footer, and the lines of the signature block.
    out.push_str(&paragraph_style(
        "Header",
        "header",
        "Normal",
        "<w:spacing w:after=\"0\"/><w:jc w:val=\"right\"/>",
        "<w:sz w:val=\"18\"/><w:szCs w:val=\"18\"/>",
    ));
    out.push_str(&paragraph_style(
        "Footer",
        "footer",
        "Normal",
        "<w:spacing w:after=\"0\"/><w:jc w:val=\"center\"/>",
        "<w:sz w:val=\"18\"/><w:szCs w:val=\"18\"/>",
    ));
    out.push_str(&paragraph_style(
        "Signature",
        "Signature Line",
        "Normal",
        &format!("<w:keepNext/><w:keepLines/><w:spacing w:before=\"240\" w:after=\"0\"/><w:tabs><w:tab w:val=\"left\" w:pos=\"{}\"/></w:tabs>", STEP * 2),
        "",
    ));
    out.push_str("<w:style w:type=\"table\" w:styleId=\"XlicTable\"><w:name w:val=\"Xlic Table\"/><w:tblPr><w:tblBorders><w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"808080\"/><w:left w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"808080\"/><w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"808080\"/><w:right w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"808080\"/><w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"808080\"/><w:insideV w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"808080\"/></w:tblBorders></w:tblPr></w:style>");
    out.push_str("</w:styles>\n");
    out
}
