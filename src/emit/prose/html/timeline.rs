//! The SVG timeline of the HTML report: one row per agreement, grant and grant-back,
//! on a scale of years, with a legend that wraps to the figure's width; drawn from the
//! document's [`Timeline`]. A grant's row shows its base term, its renewal options
//! (dashed, in the same lane), its wind-down (hatched, in a lane of its own below, from
//! the end of the base term) and the expiry of each licensed patent (a marker); an
//! "as of" date, when the options give one, is a line across every row.

use super::escape;
use crate::date::{Date, Duration, DurationUnit};
use crate::diagnostics::Severity;
use crate::emit::prose::{RowKind, Timeline, TimelineRow};
use crate::vocab::ExclusivityKind;
use std::fmt::Write as _;

const W: f64 = 960.0;
const LABEL_W: f64 = 250.0;
const RIGHT: f64 = 28.0;
const TOP: f64 = 44.0;
const ROW_H: f64 = 32.0;
/// The height of one line of the legend.
const LEGEND_LINE: f64 = 20.0;
const EXPIRY_COLOR: &str = "#8c2f1b";
const AS_OF_COLOR: &str = "#b3261e";
/// The longest period the axis spans, in years.
const MAX_YEARS: i32 = 80;

fn fmt(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    if (r - r.trunc()).abs() < f64::EPSILON {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

fn add_years(d: Date, n: u32) -> Option<Date> {
    d.add_duration(Duration {
        amount: n,
        unit: DurationUnit::Years,
    })
}

const AGREEMENT_COLOR: &str = "#c9d1dc";
const GRANT_BACK_COLOR: &str = "#b9a3d6";

fn grant_color(k: ExclusivityKind) -> &'static str {
    match k {
        ExclusivityKind::Exclusive => "#1f3a5f",
        ExclusivityKind::Sole => "#2f6f73",
        ExclusivityKind::NonExclusive => "#5b84b1",
    }
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let cut: String = s.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}\u{2026}")
    }
}

/// The SVG timeline: one row per license (term bar, renewal options dashed, wind-down
/// hatched, renegotiation dates as ticks) and per grant-back (until its sunset marker),
/// above a year axis.
pub(super) fn svg_timeline(
    tl: &Timeline,
    uid: &str,
    as_of: Option<Date>,
    severity: impl Fn(&TimelineRow) -> Option<Severity>,
) -> String {
    let rows = &tl.rows;
    let mut start: Option<Date> = None;
    let mut end: Option<Date> = None;
    let mut open = false;
    let widen = |d: Date, end: &mut Option<Date>| {
        *end = Some(end.map_or(d, |e| e.max(d)));
    };
    for r in rows {
        start = Some(start.map_or(r.start, |s| s.min(r.start)));
        match r.end {
            Some(e) => widen(e, &mut end),
            None => open = true,
        }
        for (_, e) in &r.renewals {
            widen(*e, &mut end);
        }
        if let Some((_, e)) = r.wind_down {
            widen(e, &mut end);
        }
        if let Some(s) = r.sunset {
            widen(s, &mut end);
        }
        for (e, _) in &r.expiries {
            widen(*e, &mut end);
        }
    }
    if let (Some(d), Some(s)) = (as_of, start) {
        if d >= s {
            widen(d, &mut end);
        }
    }
    let Some(start) = start else {
        return String::new();
    };
    let (sy, _, _) = start.ymd();
    let axis_start = Date::from_ymd(sy, 1, 1).unwrap_or(start);
    let mut last = end.unwrap_or(start);
    if open || end.is_none() {
        // Room for open-ended bars to show that they continue.
        last = last.max(add_years(start, 10).unwrap_or(last));
    }
    let (ly, lm, ld) = last.ymd();
    let mut ey = if lm == 1 && ld == 1 { ly } else { ly + 1 };
    if open {
        ey += 1;
    }
    ey = ey.clamp(sy + 1, sy + MAX_YEARS);
    let axis_end = Date::from_ymd(ey, 1, 1).unwrap_or(last);
    let span_days = f64::from((axis_end.days() - axis_start.days()).max(1));
    let plot_w = W - LABEL_W - RIGHT;
    let x = |d: Date| -> f64 {
        let t = f64::from(d.days() - axis_start.days()) / span_days;
        LABEL_W + t.clamp(0.0, 1.0) * plot_w
    };
    let mut s = String::new();
    let _ = write!(
        s,
        "<title id=\"{uid}-title\">Timeline of licenses from {} to {}</title>",
        axis_start.year(),
        axis_end.year()
    );
    let _ = write!(
        s,
        "<defs><pattern id=\"{uid}-hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#f6ead2\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#b07d1a\" stroke-width=\"2.2\"/></pattern>\
"
    );
    for (name, color) in [
        ("x", grant_color(ExclusivityKind::Exclusive)),
        ("s", grant_color(ExclusivityKind::Sole)),
        ("n", grant_color(ExclusivityKind::NonExclusive)),
        ("g", AGREEMENT_COLOR),
        ("p", GRANT_BACK_COLOR),
    ] {
        let _ = write!(
            s,
            "<linearGradient id=\"{uid}-fade-{name}\" x1=\"0\" x2=\"1\" y1=\"0\" y2=\"0\"><stop offset=\"0\" stop-color=\"{color}\"/><stop offset=\"0.7\" stop-color=\"{color}\" stop-opacity=\"0.6\"/><stop offset=\"1\" stop-color=\"{color}\" stop-opacity=\"0\"/></linearGradient>"
        );
    }
    s.push_str("</defs>");
    // Row stripes.
    for (i, _) in rows.iter().enumerate() {
        if i % 2 == 1 {
            let _ = write!(
                s,
                "<rect x=\"0\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#f6f7f9\"/>",
                fmt(TOP + ROW_H * i as f64),
                fmt(W),
                fmt(ROW_H)
            );
        }
    }
    // Year grid and axis labels.
    let years = ey - sy;
    let step = match years {
        0..=16 => 1,
        17..=32 => 2,
        33..=80 => 5,
        _ => 10,
    };
    let bottom = TOP + ROW_H * rows.len() as f64;
    let mut y = sy;
    while y <= ey {
        if let Some(d) = Date::from_ymd(y, 1, 1) {
            let gx = x(d);
            let _ = write!(
                s,
                "<line x1=\"{gx}\" y1=\"{}\" x2=\"{gx}\" y2=\"{}\" stroke=\"#dde1e7\" stroke-width=\"1\"/>",
                fmt(TOP - 6.0),
                fmt(bottom),
                gx = fmt(gx)
            );
            if (y - sy) % step == 0 {
                let _ = write!(
                    s,
                    "<text x=\"{}\" y=\"{}\" class=\"axis\" text-anchor=\"middle\">{y}</text>",
                    fmt(gx),
                    fmt(TOP - 12.0)
                );
            }
        }
        y += 1;
    }
    let _ = write!(
        s,
        "<line x1=\"{}\" y1=\"{b}\" x2=\"{}\" y2=\"{b}\" stroke=\"#9aa3ae\" stroke-width=\"1\"/>",
        fmt(LABEL_W),
        fmt(W - RIGHT),
        b = fmt(bottom)
    );
    let axis_right = LABEL_W + plot_w;
    let mut legend_renewal = false;
    let mut legend_wind = false;
    let mut legend_reneg = false;
    let mut legend_sunset = false;
    let mut legend_grant_back = false;
    let mut legend_expiry = false;
    let mut kinds: Vec<ExclusivityKind> = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let y0 = TOP + ROW_H * i as f64;
        let sev = severity(r);
        let label_class = match sev {
            Some(Severity::Error) => "label flag-error",
            Some(Severity::Warning) => "label flag-warning",
            None => "label",
        };
        let prefix = match sev {
            Some(_) => "\u{26a0} ",
            None => "",
        };
        let label = format!("{prefix}{}", truncate(&r.label, 34));
        let title = format!("{} \u{2014} {}", r.label, r.title);
        if r.anchor.is_empty() {
            let _ = write!(
                s,
                "<text x=\"10\" y=\"{}\" class=\"{label_class}\"><title>{}</title>{}</text>",
                fmt(y0 + 19.0),
                escape(&title),
                escape(&label)
            );
        } else {
            let _ = write!(
                s,
                "<a href=\"#{}\"><text x=\"10\" y=\"{}\" class=\"{label_class}\"><title>{}</title>{}</text></a>",
                escape(&r.anchor),
                fmt(y0 + 19.0),
                escape(&title),
                escape(&label)
            );
        }
        let x0 = x(r.start);
        let x1 = r.end.map_or(axis_right, x);
        let outline = match sev {
            Some(Severity::Error) => " stroke=\"#b3261e\" stroke-width=\"2\"",
            Some(Severity::Warning) => " stroke=\"#c98a00\" stroke-width=\"2\"",
            None => "",
        };
        match r.kind {
            RowKind::Agreement => {
                let fill = if r.end.is_none() {
                    format!("url(#{uid}-fade-g)")
                } else {
                    AGREEMENT_COLOR.to_string()
                };
                let _ = write!(
                    s,
                    "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"10\" rx=\"2\" fill=\"{fill}\"><title>{}</title></rect>",
                    fmt(x0),
                    fmt(y0 + 10.0),
                    fmt((x1 - x0).max(1.0)),
                    escape(&term_title("Agreement term", r.start, r.end))
                );
            }
            RowKind::Grant(kind) => {
                if !kinds.contains(&kind) {
                    kinds.push(kind);
                }
                let color = grant_color(kind);
                // Renewal options, dashed, each period separately.
                for (rs, re) in &r.renewals {
                    legend_renewal = true;
                    let _ = write!(
                        s,
                        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"14\" rx=\"2\" fill=\"none\" stroke=\"{color}\" stroke-width=\"1.3\" stroke-dasharray=\"4 3\"><title>{}</title></rect>",
                        fmt(x(*rs) + 0.75),
                        fmt(y0 + 5.0),
                        fmt((x(*re) - x(*rs) - 1.5).max(1.0)),
                        escape(&term_title("Renewal option", *rs, Some(*re)))
                    );
                }
                if r.renewals_unbounded {
                    let from = r.renewals.last().map_or(x1, |(_, e)| x(*e));
                    if from < axis_right {
                        let _ = write!(
                            s,
                            "<line x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"{color}\" stroke-width=\"1.3\" stroke-dasharray=\"2 3\"/>",
                            fmt(from),
                            fmt(axis_right),
                            y = fmt(y0 + 12.0)
                        );
                    }
                }
                // The wind-down follows the base term in a lane of its own, below the
                // renewal options, which start on the same day.
                if let Some((ws, we)) = r.wind_down {
                    legend_wind = true;
                    let _ = write!(
                        s,
                        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"7\" fill=\"url(#{uid}-hatch)\" stroke=\"#b07d1a\" stroke-width=\"0.8\"><title>{}</title></rect>",
                        fmt(x(ws)),
                        fmt(y0 + 21.0),
                        fmt((x(we) - x(ws)).max(2.0)),
                        escape(&term_title("Wind-down (sell-off only)", ws, Some(we)))
                    );
                }
                let fill = if r.end.is_none() {
                    let code = match kind {
                        ExclusivityKind::Exclusive => "x",
                        ExclusivityKind::Sole => "s",
                        ExclusivityKind::NonExclusive => "n",
                    };
                    format!("url(#{uid}-fade-{code})")
                } else {
                    color.to_string()
                };
                let _ = write!(
                    s,
                    "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"14\" rx=\"2\" fill=\"{fill}\"{outline}><title>{}</title></rect>",
                    fmt(x0),
                    fmt(y0 + 5.0),
                    fmt((x1 - x0).max(1.0)),
                    escape(&term_title(&format!("{}: term", r.label), r.start, r.end))
                );
                for d in &r.renegotiations {
                    legend_reneg = true;
                    let tx = x(*d);
                    let _ = write!(
                        s,
                        "<path d=\"M{} {} l4 -6 h-8 z\" fill=\"#c98a00\"><title>Renegotiation: {}</title></path>",
                        fmt(tx),
                        fmt(y0 + 5.0),
                        escape(&crate::text::long_date(*d))
                    );
                }
                // Each day a licensed patent lapses: a marker across the row, with the
                // patents that lapse that day.
                let mut i = 0;
                while let Some((d, _)) = r.expiries.get(i) {
                    let same: Vec<&str> = r
                        .expiries
                        .get(i..)
                        .unwrap_or_default()
                        .iter()
                        .take_while(|(e, _)| e == d)
                        .map(|(_, n)| n.as_str())
                        .collect();
                    i += same.len().max(1);
                    legend_expiry = true;
                    let ex = x(*d);
                    let _ = write!(
                        s,
                        "<g class=\"expiry\"><title>{}</title><line x1=\"{ex}\" y1=\"{}\" x2=\"{ex}\" y2=\"{}\" stroke=\"{EXPIRY_COLOR}\" stroke-width=\"1.6\"/><circle cx=\"{ex}\" cy=\"{}\" r=\"2.6\" fill=\"{EXPIRY_COLOR}\"/></g>",
                        escape(&format!(
                            "Patent {} {}: in force up to and including {}",
                            crate::text::join_list(&same),
                            if same.len() == 1 { "lapses" } else { "lapse" },
                            crate::text::long_date(crate::text::last_day(*d))
                        )),
                        fmt(y0 + 3.0),
                        fmt(y0 + 29.0),
                        fmt(y0 + 3.0),
                        ex = fmt(ex)
                    );
                }
            }
            RowKind::GrantBack => {
                legend_grant_back = true;
                let fill = if r.end.is_none() {
                    format!("url(#{uid}-fade-p)")
                } else {
                    GRANT_BACK_COLOR.to_string()
                };
                let _ = write!(
                    s,
                    "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"8\" rx=\"2\" fill=\"{fill}\"{outline}><title>{}</title></rect>",
                    fmt(x0),
                    fmt(y0 + 12.0),
                    fmt((x1 - x0).max(1.0)),
                    escape(&term_title(
                        "Improvements made in this period are granted back",
                        r.start,
                        r.end
                    ))
                );
                match r.sunset {
                    Some(d) => {
                        legend_sunset = true;
                        let sx = x(d);
                        let _ = write!(
                            s,
                            "<path d=\"M{} {} l7 7 l-7 7 l-7 -7 z\" fill=\"#6a3d9a\" stroke=\"#fff\" stroke-width=\"1\"><title>Grant-back sunset: not after {}</title></path>",
                            fmt(sx),
                            fmt(y0 + 9.0),
                            escape(&crate::text::long_date(crate::text::last_day(d)))
                        );
                    }
                    None => {
                        let _ = write!(
                            s,
                            "<text x=\"{}\" y=\"{}\" class=\"note\" text-anchor=\"end\">no sunset</text>",
                            fmt(axis_right - 4.0),
                            fmt(y0 + 10.0)
                        );
                    }
                }
            }
        }
    }
    // The "as of" line, across every row, with its date above the axis.
    if let Some(d) = as_of.filter(|d| *d >= axis_start && *d <= axis_end) {
        let ax = x(d);
        let tx = ax.clamp(LABEL_W + 45.0, W - RIGHT - 45.0);
        let _ = write!(
            s,
            "<line x1=\"{ax}\" y1=\"{}\" x2=\"{ax}\" y2=\"{}\" stroke=\"{AS_OF_COLOR}\" stroke-width=\"1.4\" stroke-dasharray=\"5 3\"><title>As of {}</title></line><text x=\"{}\" y=\"14\" class=\"asof\" text-anchor=\"middle\">as of {}</text>",
            fmt(TOP - 6.0),
            fmt(bottom),
            escape(&crate::text::long_date(d)),
            fmt(tx),
            escape(&crate::text::short_date(d)),
            ax = fmt(ax)
        );
    }
    // The legend: what the page shows, in lines that wrap at the figure's width.
    let mut items: Vec<(String, &str)> = Vec::new();
    for (k, name) in [
        (ExclusivityKind::Exclusive, "Exclusive"),
        (ExclusivityKind::Sole, "Sole"),
        (ExclusivityKind::NonExclusive, "Non-exclusive"),
    ] {
        if kinds.contains(&k) {
            items.push((
                format!(
                    "<rect width=\"18\" height=\"12\" rx=\"2\" fill=\"{}\"/>",
                    grant_color(k)
                ),
                name,
            ));
        }
    }
    if legend_renewal {
        items.push(("<rect x=\"0.5\" y=\"0.5\" width=\"17\" height=\"11\" rx=\"2\" fill=\"none\" stroke=\"#1f3a5f\" stroke-dasharray=\"4 3\"/>".to_string(), "Renewal option"));
    }
    if legend_wind {
        items.push((format!("<rect y=\"3\" width=\"18\" height=\"7\" fill=\"url(#{uid}-hatch)\" stroke=\"#b07d1a\" stroke-width=\"0.8\"/>"), "Wind-down after the base term"));
    }
    if legend_reneg {
        items.push((
            "<path d=\"M5 3 l4 6 h-8 z\" transform=\"translate(4,0)\" fill=\"#c98a00\"/>"
                .to_string(),
            "Renegotiation",
        ));
    }
    if legend_expiry {
        items.push((format!("<line x1=\"9\" y1=\"0\" x2=\"9\" y2=\"12\" stroke=\"{EXPIRY_COLOR}\" stroke-width=\"1.6\"/><circle cx=\"9\" cy=\"1\" r=\"2.6\" fill=\"{EXPIRY_COLOR}\"/>"), "Patent lapses"));
    }
    if legend_grant_back {
        items.push((
            format!(
                "<rect y=\"2\" width=\"18\" height=\"8\" rx=\"2\" fill=\"{GRANT_BACK_COLOR}\"/>"
            ),
            "Grant-back period",
        ));
    }
    if legend_sunset {
        items.push((
            "<path d=\"M9 0 l6 6 l-6 6 l-6 -6 z\" fill=\"#6a3d9a\"/>".to_string(),
            "Grant-back sunset",
        ));
    }
    if as_of.is_some_and(|d| d >= axis_start && d <= axis_end) {
        items.push((format!("<line x1=\"9\" y1=\"0\" x2=\"9\" y2=\"12\" stroke=\"{AS_OF_COLOR}\" stroke-width=\"1.4\" stroke-dasharray=\"5 3\"/>"), "As of"));
    }
    let mut lx = 10.0;
    let mut ly = bottom + 18.0;
    let mut lines = usize::from(!items.is_empty());
    for (swatch, text) in items {
        // 6.6 px a character is above the width of the legend's 11 px sans-serif text.
        let width = 30.0 + 6.6 * text.chars().count() as f64;
        if lx > 10.0 && lx + width > W - RIGHT {
            lx = 10.0;
            ly += LEGEND_LINE;
            lines += 1;
        }
        let _ = write!(
            s,
            "<g transform=\"translate({},{})\">{swatch}<text x=\"24\" y=\"10\" class=\"legend\">{}</text></g>",
            fmt(lx),
            fmt(ly),
            escape(text)
        );
        lx += width;
    }
    let height = bottom + 18.0 + LEGEND_LINE * lines as f64 + 6.0;
    let head = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-labelledby=\"{uid}-title\" class=\"timeline-svg\">",
        w = fmt(W),
        h = fmt(height)
    );
    s.insert_str(0, &head);
    s.push_str("</svg>");
    s
}

fn term_title(what: &str, start: Date, end: Option<Date>) -> String {
    match end {
        Some(e) => format!(
            "{what}: {} \u{2013} {}",
            crate::text::long_date(start),
            crate::text::long_date(crate::text::last_day(e))
        ),
        None => format!(
            "{what}: from {}, without a fixed end",
            crate::text::long_date(start)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_svg_are_short() {
        assert_eq!(fmt(12.0), "12");
        assert_eq!(fmt(12.345), "12.3");
    }
}
