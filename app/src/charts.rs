//! Charts as server-rendered SVG, drawn with plotters' SVG backend. plotters draws the
//! lines and shapes; labels are written as SVG text here, because the backend has no fonts
//! on this service (no system fonts, nothing fetched). Every chart has a `<title>` and a
//! `<desc>` with its text summary; pages put the same figures in a table beside it.

use chrono::{Datelike, NaiveDate};
use plotters::prelude::*;
use std::fmt::Write;

/// NHS.UK colours.
pub const NHS_BLUE: RGBColor = RGBColor(0x00, 0x5e, 0xb8);
pub const NHS_DARK_BLUE: RGBColor = RGBColor(0x00, 0x30, 0x87);
pub const NHS_GREEN: RGBColor = RGBColor(0x00, 0x7f, 0x3b);
pub const NHS_WARM_YELLOW: RGBColor = RGBColor(0xff, 0xb8, 0x1c);
pub const NHS_ORANGE: RGBColor = RGBColor(0xed, 0x8b, 0x00);
pub const NHS_DARK_GREY: RGBColor = RGBColor(0x42, 0x55, 0x63);
pub const NHS_MID_GREY: RGBColor = RGBColor(0x76, 0x86, 0x92);
pub const NHS_PALE_GREY: RGBColor = RGBColor(0xe8, 0xed, 0xee);
pub const NHS_PURPLE: RGBColor = RGBColor(0x33, 0x00, 0x72);
pub const NHS_DARK_PINK: RGBColor = RGBColor(0x7c, 0x28, 0x55);
pub const NHS_AQUA_GREEN: RGBColor = RGBColor(0x00, 0xa4, 0x99);
pub const TEXT: &str = "#212b32";

/// Distinct colours for several lines, in order.
pub const PALETTE: [RGBColor; 7] = [
    NHS_BLUE,
    NHS_GREEN,
    NHS_PURPLE,
    NHS_DARK_PINK,
    NHS_DARK_GREY,
    NHS_AQUA_GREEN,
    NHS_DARK_BLUE,
];

/// A named band of (date, low, high) points.
pub type Band = (String, Vec<(NaiveDate, f64, f64)>);

pub struct Series {
    pub name: String,
    pub color: RGBColor,
    pub points: Vec<(NaiveDate, f64)>,
    pub dashed: bool,
}

/// A chart of scores (0 to 100) over time.
pub struct TimeChart {
    /// Unique on the page: ids of the title and description derive from it.
    pub id: String,
    pub title: String,
    pub description: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub series: Vec<Series>,
    /// A shaded band (date, low, high), such as the spread between quartiles.
    pub band: Option<Band>,
    pub milestones: Vec<(NaiveDate, String)>,
    pub threshold: Option<(f64, String)>,
    /// Named horizontal lines across the chart, such as a mean and its process limits.
    pub lines: Vec<Line>,
    /// Points drawn over the series in their own colour, each kind named in the legend.
    pub marks: Vec<Mark>,
}

/// Horizontal lines across a chart at `values` (those inside its range), named once in the
/// legend, such as a pair of process limits.
pub struct Line {
    pub values: Vec<f64>,
    pub name: String,
    pub color: RGBColor,
    pub dashed: bool,
}

/// A point of a series drawn in its own colour (with a dark outline, so it does not rest on
/// colour alone beside the legend and the table), such as a special cause.
pub struct Mark {
    pub at: NaiveDate,
    pub value: f64,
    pub color: RGBColor,
    /// The legend's name for marks of this colour.
    pub name: String,
}

const W: u32 = 640;
const PLOT_H: u32 = 300;

fn day(d: NaiveDate) -> f64 {
    crate::domain::scoring::day_number(d) as f64
}

pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn hex(c: RGBColor) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

/// Draws the chart of scores (0 to 100); returns the SVG document.
pub fn time_chart(c: &TimeChart) -> String {
    time_chart_in(c, 0.0, 100.0)
}

/// A round number at or above `x` to end an axis on (1, 2, 2.5 or 5 times a power of ten).
pub fn nice_max(x: f64) -> f64 {
    if !x.is_finite() || x <= 0.0 {
        return 1.0;
    }
    let p = 10f64.powf(x.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * p)
        .find(|v| *v >= x)
        .unwrap_or(10.0 * p)
}

/// An axis label: whole numbers as they are, others to one decimal place.
fn tick(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round())
    } else {
        format!("{v:.1}")
    }
}

/// Draws a chart of values from `lo` to `hi` over time; returns the SVG document.
pub fn time_chart_in(c: &TimeChart, lo: f64, hi: f64) -> String {
    let hi = if hi > lo { hi } else { lo + 1.0 };
    let mut mark_kinds: Vec<(RGBColor, &str)> = Vec::new();
    for m in &c.marks {
        if !mark_kinds.iter().any(|(_, n)| *n == m.name) {
            mark_kinds.push((m.color, &m.name));
        }
    }
    let legend_rows = c.series.len()
        + usize::from(c.band.is_some())
        + usize::from(c.threshold.is_some())
        + c.lines.len()
        + mark_kinds.len();
    let height = PLOT_H + 16 + 22 * legend_rows as u32;
    let mut svg = String::new();
    let mut labels: Vec<String> = Vec::new();
    {
        let root = SVGBackend::with_string(&mut svg, (W, height)).into_drawing_area();
        let (plot_area, _) = root.split_vertically(PLOT_H);
        let x0 = day(c.start);
        let x1 = day(c.end).max(x0 + 1.0);
        let mut chart = ChartBuilder::on(&plot_area)
            .margin_top(14)
            .margin_right(16)
            .x_label_area_size(44)
            .y_label_area_size(40)
            .build_cartesian_2d(x0..x1, lo..hi)
            .expect("the chart area fits");
        // Grid: five lines, labelled.
        for y in (0..5).map(|i| lo + (hi - lo) * f64::from(i) / 4.0) {
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(x0, y), (x1, y)],
                    NHS_PALE_GREY.stroke_width(1),
                )))
                .expect("draws");
            let (px, py) = chart.backend_coord(&(x0, y));
            labels.push(format!(
                r#"<text x="{}" y="{}" text-anchor="end" font-size="14">{}</text>"#,
                px - 6,
                py + 5,
                tick(y)
            ));
        }
        // Years along the bottom.
        let (ys, ye) = (c.start.year(), c.end.year());
        for year in ys..=ye + 1 {
            let d = NaiveDate::from_ymd_opt(year, 1, 1).expect("valid");
            let x = day(d);
            if x < x0 || x > x1 {
                continue;
            }
            let (px, py) = chart.backend_coord(&(x, lo));
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(x, lo), (x, lo - (hi - lo) * 0.02)],
                    NHS_MID_GREY.stroke_width(1),
                )))
                .ok();
            labels.push(format!(
                r#"<text x="{px}" y="{}" text-anchor="middle" font-size="14">{year}</text>"#,
                py + 20
            ));
        }
        if let Some((_, band)) = &c.band {
            let mut poly: Vec<(f64, f64)> = band.iter().map(|(d, _, hi)| (day(*d), *hi)).collect();
            poly.extend(band.iter().rev().map(|(d, lo, _)| (day(*d), *lo)));
            chart
                .draw_series(std::iter::once(Polygon::new(
                    poly,
                    NHS_BLUE.mix(0.18).filled(),
                )))
                .expect("draws");
        }
        if let Some((t, _)) = &c.threshold {
            chart
                .draw_series(DashedLineSeries::new(
                    vec![(x0, *t), (x1, *t)],
                    6,
                    4,
                    NHS_GREEN.stroke_width(2),
                ))
                .expect("draws");
        }
        for (l, v) in c
            .lines
            .iter()
            .flat_map(|l| l.values.iter().map(move |v| (l, *v)))
            .filter(|(_, v)| (lo..=hi).contains(v))
        {
            let pts = vec![(x0, v), (x1, v)];
            if l.dashed {
                chart
                    .draw_series(DashedLineSeries::new(pts, 6, 4, l.color.stroke_width(2)))
                    .expect("draws");
            } else {
                chart
                    .draw_series(LineSeries::new(pts, l.color.stroke_width(2)))
                    .expect("draws");
            }
        }
        for (i, (d, name)) in c.milestones.iter().enumerate() {
            let x = day(*d);
            if x < x0 || x > x1 {
                continue;
            }
            chart
                .draw_series(DashedLineSeries::new(
                    vec![(x, lo), (x, hi)],
                    3,
                    3,
                    NHS_DARK_GREY.stroke_width(1),
                ))
                .expect("draws");
            let (px, py) = chart.backend_coord(&(x, hi));
            let anchor = if x > (x0 + x1) / 2.0 { "end" } else { "start" };
            let dx = if anchor == "end" { -4 } else { 4 };
            labels.push(format!(
                r#"<text x="{}" y="{}" text-anchor="{anchor}" font-size="13" fill="{}">{}</text>"#,
                px + dx,
                py + 14 + 16 * (i as i32 % 3),
                hex(NHS_DARK_GREY),
                escape(name)
            ));
        }
        for s in &c.series {
            let pts: Vec<(f64, f64)> = s.points.iter().map(|(d, v)| (day(*d), *v)).collect();
            if s.dashed {
                chart
                    .draw_series(DashedLineSeries::new(
                        pts.clone(),
                        8,
                        5,
                        s.color.stroke_width(3),
                    ))
                    .expect("draws");
            } else {
                chart
                    .draw_series(LineSeries::new(pts.clone(), s.color.stroke_width(3)))
                    .expect("draws");
                chart
                    .draw_series(pts.iter().map(|p| Circle::new(*p, 4, s.color.filled())))
                    .expect("draws");
            }
        }
        for m in &c.marks {
            let p = (day(m.at), m.value);
            chart
                .draw_series([
                    Circle::new(p, 7, m.color.filled()),
                    Circle::new(p, 7, RGBColor(0x21, 0x2b, 0x32).stroke_width(2)),
                ])
                .expect("draws");
        }
        // Legend under the plot.
        let mut y = PLOT_H as i32 + 16;
        let mut legend = |color: RGBColor, dashed: bool, band: bool, name: &str| {
            let swatch = if band {
                format!(
                    r#"<rect x="44" y="{}" width="28" height="12" fill="{}" fill-opacity="0.18" stroke="{}"/>"#,
                    y - 10,
                    hex(color),
                    hex(color)
                )
            } else {
                format!(
                    r#"<line x1="44" y1="{}" x2="72" y2="{}" stroke="{}" stroke-width="3"{}/>"#,
                    y - 4,
                    y - 4,
                    hex(color),
                    if dashed {
                        r#" stroke-dasharray="6 4""#
                    } else {
                        ""
                    }
                )
            };
            labels.push(format!(
                r#"{swatch}<text x="80" y="{y}" font-size="14">{}</text>"#,
                escape(name)
            ));
            y += 22;
        };
        for s in &c.series {
            legend(s.color, s.dashed, false, &s.name);
        }
        if let Some((name, _)) = &c.band {
            legend(NHS_BLUE, false, true, name);
        }
        if let Some((_, name)) = &c.threshold {
            legend(NHS_GREEN, true, false, name);
        }
        for l in &c.lines {
            legend(l.color, l.dashed, false, &l.name);
        }
        for (color, name) in &mark_kinds {
            labels.push(format!(
                r#"<circle cx="58" cy="{}" r="7" fill="{}" stroke="{TEXT}" stroke-width="2"/><text x="80" y="{y}" font-size="14">{}</text>"#,
                y - 5,
                hex(*color),
                escape(name)
            ));
            y += 22;
        }
        root.present().expect("the SVG is written");
    }
    finish(svg, &c.id, &c.title, &c.description, W, height, &labels)
}

/// A scatter of points (x, y), such as overall score against improvement.
pub struct Scatter {
    pub id: String,
    pub title: String,
    pub description: String,
    pub x_label: String,
    pub y_label: String,
    pub x: (f64, f64),
    pub points: Vec<(f64, f64)>,
}

/// Draws a scatter with a zero line across; returns the SVG document.
pub fn scatter_chart(c: &Scatter) -> String {
    let height = PLOT_H + 30;
    let mut svg = String::new();
    let mut labels: Vec<String> = Vec::new();
    {
        let root = SVGBackend::with_string(&mut svg, (W, height)).into_drawing_area();
        let (x0, x1) = c.x;
        let top = nice_max(c.points.iter().map(|p| p.1.abs()).fold(0.0, f64::max));
        let (y0, y1) = (-top, top);
        let mut chart = ChartBuilder::on(&root)
            .margin_top(14)
            .margin_right(16)
            .x_label_area_size(64)
            .y_label_area_size(56)
            .build_cartesian_2d(x0..x1, y0..y1)
            .expect("the chart area fits");
        for y in (0..5).map(|i| y0 + (y1 - y0) * f64::from(i) / 4.0) {
            let colour = if y == 0.0 {
                NHS_DARK_GREY
            } else {
                NHS_PALE_GREY
            };
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(x0, y), (x1, y)],
                    colour.stroke_width(1),
                )))
                .expect("draws");
            let (px, py) = chart.backend_coord(&(x0, y));
            labels.push(format!(
                r#"<text x="{}" y="{}" text-anchor="end" font-size="14">{}</text>"#,
                px - 6,
                py + 5,
                tick(y)
            ));
        }
        for x in (0..5).map(|i| x0 + (x1 - x0) * f64::from(i) / 4.0) {
            let (px, py) = chart.backend_coord(&(x, y0));
            labels.push(format!(
                r#"<text x="{px}" y="{}" text-anchor="middle" font-size="14">{}</text>"#,
                py + 20,
                tick(x)
            ));
        }
        chart
            .draw_series(
                c.points
                    .iter()
                    .map(|p| Circle::new(*p, 5, NHS_BLUE.mix(0.75).filled())),
            )
            .expect("draws");
        let (mx, my) = chart.backend_coord(&((x0 + x1) / 2.0, y0));
        labels.push(format!(
            r#"<text x="{mx}" y="{}" text-anchor="middle" font-size="14">{}</text>"#,
            my + 44,
            escape(&c.x_label)
        ));
        let (_, ty) = chart.backend_coord(&(x0, y1));
        labels.push(format!(
            r#"<text x="60" y="{}" font-size="14">{}</text>"#,
            ty - 2,
            escape(&c.y_label)
        ));
        root.present().expect("the SVG is written");
    }
    finish(svg, &c.id, &c.title, &c.description, W, height, &labels)
}

/// Makes the backend's SVG responsive and accessible, and adds the text labels.
pub fn finish(
    svg: String,
    id: &str,
    title: &str,
    description: &str,
    width: u32,
    height: u32,
    labels: &[String],
) -> String {
    let body_start = svg.find('>').map(|i| i + 1).unwrap_or(0);
    let body_end = svg.rfind("</svg>").unwrap_or(svg.len());
    let mut out = String::with_capacity(svg.len() + 2048);
    let _ = write!(
        out,
        r#"<svg class="exemplar-chart" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{id}-title {id}-desc" font-family="Arial, Helvetica, sans-serif" fill="{TEXT}"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        escape(title),
        escape(description)
    );
    out.push_str(&svg[body_start..body_end]);
    for l in labels {
        out.push_str(l);
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_time_chart_is_accessible_svg_with_labels() {
        let svg = time_chart(&TimeChart {
            id: "t".into(),
            title: "Overall score <over> time".into(),
            description: "Rises from 40 to 60.".into(),
            start: d("2013-01-01"),
            end: d("2018-03-31"),
            series: vec![Series {
                name: "Overall".into(),
                color: NHS_BLUE,
                points: vec![(d("2013-03-31"), 40.0), (d("2013-06-30"), 60.0)],
                dashed: false,
            }],
            band: None,
            milestones: vec![(d("2014-04-01"), "EPR deadline".into())],
            lines: Vec::new(),
            marks: Vec::new(),
            threshold: Some((90.0, "Paperless threshold".into())),
        });
        assert!(svg.starts_with("<svg class=\"exemplar-chart\" viewBox="));
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains("<title id=\"t-title\">Overall score &lt;over&gt; time</title>"));
        assert!(svg.contains("<desc id=\"t-desc\">Rises from 40 to 60.</desc>"));
        assert!(svg.contains(">2014</text>"));
        assert!(svg.contains(">EPR deadline</text>"));
        assert!(svg.contains(">Paperless threshold</text>"));
        assert!(
            svg.contains("#005EB8") || svg.contains("#005eb8"),
            "NHS blue is used"
        );
        assert!(
            !svg.contains("width=\"640\" height"),
            "no fixed size: it scales to the screen"
        );
        assert_eq!(svg.matches("<svg").count(), 1);
    }
}
