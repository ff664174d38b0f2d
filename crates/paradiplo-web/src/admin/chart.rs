//! The feedback trend as an SVG line and bar chart, drawn on the server.
//!
//! Hand-written rather than charts-rs: one chart of two series needs about
//! a hundred lines, while charts-rs brings an embedded font and its text
//! measurer into the build; here labels are formatted the Québec way and
//! the chart carries its own title and description for screen readers (the
//! page also gives the numbers as a table).

use super::form::esc;
use paradiplo_core::Lang;
use std::fmt::Write;

/// One day: its date ("YYYY-MM-DD") and its yes / no answers.
pub struct Day {
    pub day: String,
    pub yes: i64,
    pub no: i64,
}

/// "1 234,5 %" / "1,234.5%".
pub fn percent(share: f64, lang: Lang) -> String {
    let v = format!("{:.0}", share * 100.0);
    match lang {
        Lang::Fr => format!("{v}\u{a0}%"),
        Lang::En => format!("{v}%"),
    }
}

const W: f64 = 640.0;
const H: f64 = 240.0;
const LEFT: f64 = 48.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 40.0;

/// The chart: bars = answers per day (right scale), line = share of "yes".
pub fn trend(days: &[Day], lang: Lang, title: &str, desc: &str, labels: (&str, &str)) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {W} {H}\" width=\"100%\" role=\"img\" \
         aria-labelledby=\"trend-title trend-desc\" class=\"trend\"><title id=\"trend-title\">{}</title>\
         <desc id=\"trend-desc\">{}</desc>",
        esc(title),
        esc(desc)
    );
    let plot_w = W - LEFT - RIGHT;
    let plot_h = H - TOP - BOTTOM;
    // Axes and the 0 / 50 / 100 % grid.
    for (i, share) in [0.0, 0.5, 1.0].iter().enumerate() {
        let y = TOP + plot_h * (1.0 - share);
        let _ = write!(
            s,
            "<line x1=\"{LEFT}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"#c4ccd4\" stroke-width=\"{}\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"end\" fill=\"#1b1b1b\">{}</text>",
            W - RIGHT,
            if i == 0 { 1.5 } else { 0.5 },
            LEFT - 6.0,
            y + 4.0,
            esc(&percent(*share, lang))
        );
    }
    if days.is_empty() {
        s.push_str("</svg>");
        return s;
    }
    let n = days.len() as f64;
    let step = plot_w / n;
    let max = days.iter().map(|d| d.yes + d.no).max().unwrap_or(1).max(1) as f64;
    let mut points = Vec::new();
    for (i, d) in days.iter().enumerate() {
        let total = (d.yes + d.no) as f64;
        let x = LEFT + step * i as f64;
        let bar_h = plot_h * 0.5 * total / max;
        let _ = write!(
            s,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{bar_h:.1}\" fill=\"#c9d7e6\"><title>{}{}{}</title></rect>",
            x + step * 0.15,
            TOP + plot_h - bar_h,
            (step * 0.7).max(1.0),
            esc(&d.day),
            lang.colon(),
            esc(&format!("{} {}, {} {}", d.yes, labels.0, d.no, labels.1))
        );
        if total > 0.0 {
            let share = d.yes as f64 / total;
            points.push((x + step / 2.0, TOP + plot_h * (1.0 - share), share, &d.day));
        }
    }
    if !points.is_empty() {
        let path: Vec<String> = points
            .iter()
            .map(|(x, y, _, _)| format!("{x:.1},{y:.1}"))
            .collect();
        let _ = write!(
            s,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"#1f4e79\" stroke-width=\"2\"/>",
            path.join(" ")
        );
        for (x, y, share, day) in &points {
            let _ = write!(
                s,
                "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"3\" fill=\"#1f4e79\"><title>{} {}</title></circle>",
                esc(day),
                esc(&percent(*share, lang))
            );
        }
    }
    // First and last day under the axis.
    for (i, anchor) in [(0, "start"), (days.len() - 1, "end")] {
        let x = if anchor == "start" { LEFT } else { W - RIGHT };
        let _ = write!(
            s,
            "<text x=\"{x:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"{anchor}\" fill=\"#1b1b1b\">{}</text>",
            H - BOTTOM + 16.0,
            esc(&days[i].day)
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_points_bars_and_titles() {
        let days = vec![
            Day {
                day: "2030-01-01".into(),
                yes: 3,
                no: 1,
            },
            Day {
                day: "2030-01-02".into(),
                yes: 0,
                no: 0,
            },
            Day {
                day: "2030-01-03".into(),
                yes: 1,
                no: 3,
            },
        ];
        let svg = trend(
            &days,
            Lang::Fr,
            "Tendance",
            "Part des « Oui »",
            ("oui", "non"),
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert_eq!(svg.matches("<rect").count(), 3);
        assert_eq!(
            svg.matches("<circle").count(),
            2,
            "no point on a day without answers"
        );
        assert!(svg.contains("75\u{a0}%") && svg.contains("25\u{a0}%"));
        assert!(svg.contains("&#39;") || svg.contains("« Oui »"));
        assert!(trend(&[], Lang::En, "t", "d", ("yes", "no")).contains("100%"));
    }
}
