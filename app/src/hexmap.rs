//! A hex cartogram of England's regions: one hex a region, laid out roughly geographically.
//! The layout is data (`app/data/regions.hexjson`, the HexJSON format UK public bodies use,
//! keyed by ONS region code), drawn with plotters as SVG.

use crate::charts::{escape, finish, NHS_PALE_GREY};
use plotters::prelude::*;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Deserialize)]
pub struct HexJson {
    pub layout: String,
    pub hexes: BTreeMap<String, Hex>,
}

#[derive(Debug, Deserialize)]
pub struct Hex {
    pub n: String,
    pub short: String,
    pub q: i32,
    pub r: i32,
}

pub fn layout() -> HexJson {
    serde_json::from_str(include_str!("../data/regions.hexjson"))
        .expect("the shipped layout is valid")
}

/// Five shades of NHS blue for medians 0–20, 20–40, 40–60, 60–80 and 80–100.
pub const SHADES: [(RGBColor, &str); 5] = [
    (RGBColor(0xd5, 0xe5, 0xf4), "#212b32"),
    (RGBColor(0x9c, 0xc3, 0xe8), "#212b32"),
    (RGBColor(0x41, 0x8f, 0xd6), "#ffffff"),
    (RGBColor(0x00, 0x5e, 0xb8), "#ffffff"),
    (RGBColor(0x00, 0x30, 0x87), "#ffffff"),
];

pub fn shade(median: f64) -> usize {
    ((median / 20.0).floor() as usize).min(4)
}

/// Draws the map; `median` gives a region's median score, `None` when too few report.
pub fn hex_map(
    id: &str,
    title: &str,
    description: &str,
    median: impl Fn(&str) -> Option<f64>,
) -> String {
    let map = layout();
    let size = 62.0f64;
    let w3 = 3f64.sqrt() * size;
    let (max_q, max_r) = map
        .hexes
        .values()
        .fold((0, 0), |(q, r), h| (q.max(h.q), r.max(h.r)));
    let width = (w3 * (f64::from(max_q) + 1.5) + 20.0) as u32;
    let height = (size * 1.5 * f64::from(max_r) + 2.0 * size + 20.0) as u32;
    let legend_h = 40u32;
    let mut svg = String::new();
    let mut labels = Vec::new();
    {
        let root =
            SVGBackend::with_string(&mut svg, (width, height + legend_h)).into_drawing_area();
        for h in map.hexes.values() {
            let odd = if map.layout == "odd-r" { h.r & 1 } else { 0 };
            let cx = 10.0 + w3 * (f64::from(h.q) + 0.5 * f64::from(odd)) + w3 / 2.0;
            let cy = 10.0 + size + 1.5 * size * f64::from(h.r);
            let corners: Vec<(i32, i32)> = (0..6)
                .map(|i| {
                    let a = std::f64::consts::PI / 180.0 * (60.0 * f64::from(i) - 30.0);
                    (
                        (cx + (size - 2.0) * a.cos()) as i32,
                        (cy + (size - 2.0) * a.sin()) as i32,
                    )
                })
                .collect();
            let m = median(&h.n);
            let (fill, ink) = match m {
                Some(v) => SHADES[shade(v)],
                None => (NHS_PALE_GREY, "#212b32"),
            };
            root.draw(&Polygon::new(corners.clone(), fill.filled()))
                .expect("draws");
            let mut outline = corners.clone();
            outline.push(corners[0]);
            root.draw(&PathElement::new(outline, WHITE.stroke_width(3)))
                .expect("draws");
            labels.push(format!(
                r#"<text x="{cx:.0}" y="{:.0}" text-anchor="middle" font-size="17" font-weight="bold" fill="{ink}">{}</text><text x="{cx:.0}" y="{:.0}" text-anchor="middle" font-size="16" fill="{ink}">{}</text>"#,
                cy - 4.0,
                escape(&h.short),
                cy + 18.0,
                m.map(|v| format!("{v:.1}")).unwrap_or_else(|| "too few".into())
            ));
        }
        // Legend: its text as large as the regions' figures, so that at the map's narrowest
        // (380 pixels wide, see style/main.css) no text is under 12 pixels.
        let y = height as i32 + 6;
        for (i, (c, _)) in SHADES.iter().enumerate() {
            let x = 10 + i as i32 * 64;
            root.draw(&Rectangle::new([(x, y), (x + 60, y + 14)], c.filled()))
                .expect("draws");
            labels.push(format!(
                r#"<text x="{}" y="{}" font-size="16" text-anchor="middle">{}–{}</text>"#,
                x + 30,
                y + 30,
                i * 20,
                i * 20 + 20
            ));
        }
        root.present().expect("the SVG is written");
    }
    finish(
        svg,
        id,
        title,
        description,
        width,
        height + legend_h,
        &labels,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_layout_has_england_s_nine_regions() {
        let map = layout();
        assert_eq!(map.hexes.len(), 9);
        let names: Vec<&str> = map.hexes.values().map(|h| h.n.as_str()).collect();
        for r in crate::domain::nomination::REGIONS {
            assert!(names.contains(&r), "{r} is missing");
        }
        let mut cells: Vec<(i32, i32)> = map.hexes.values().map(|h| (h.q, h.r)).collect();
        cells.sort();
        cells.dedup();
        assert_eq!(cells.len(), 9, "no two regions share a hex");
    }

    #[test]
    fn the_map_shades_by_median_and_says_too_few() {
        let svg = hex_map("m", "Map", "Medians", |r| (r == "London").then_some(72.5));
        assert!(svg.contains(">72.5</text>"));
        assert_eq!(svg.matches(">too few</text>").count(), 8);
        assert!(svg.contains("role=\"img\""));
        assert_eq!(shade(72.5), 3);
        assert_eq!(shade(100.0), 4);
        assert_eq!(shade(0.0), 0);
    }
}
