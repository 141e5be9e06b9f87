//! What changed between two framework versions, in words, for the admins' frameworks page.

use super::framework::{Framework, Kind};

fn kind_words(k: &Kind) -> String {
    match k {
        Kind::Boolean => "yes/no".into(),
        Kind::Percentage(t) => format!("percentage, target {t}"),
        Kind::Level(t) => format!("level, target {t}"),
        Kind::Date(d) => format!("date, deadline {d}"),
    }
}

/// Every difference from `a` to `b`: settings, milestones, themes, criteria and benefits
/// added, removed or changed. Empty when they score alike and read alike.
pub fn diff(a: &Framework, b: &Framework) -> Vec<String> {
    let mut out = Vec::new();
    if a.name != b.name {
        out.push(format!(
            "Name: \u{201c}{}\u{201d} to \u{201c}{}\u{201d}",
            a.name, b.name
        ));
    }
    if a.paperless_threshold != b.paperless_threshold {
        out.push(format!(
            "Paperless threshold: {} to {}",
            a.paperless_threshold, b.paperless_threshold
        ));
    }
    if a.calendar != b.calendar {
        out.push(format!(
            "Calendar: values due {} to {} days after a quarter, published {} to {} days after, checked by economies {} to {} days before",
            a.calendar.submission_days,
            b.calendar.submission_days,
            a.calendar.publication_days,
            b.calendar.publication_days,
            a.calendar.preview_days,
            b.calendar.preview_days
        ));
    }
    for m in &b.milestones {
        match a.milestones.iter().find(|x| x.code == m.code) {
            None => out.push(format!(
                "Milestone added: {} ({}) on {}",
                m.name, m.code, m.date
            )),
            Some(x) if x.date != m.date => out.push(format!(
                "Milestone {} moved from {} to {}",
                m.code, x.date, m.date
            )),
            Some(x) if x != m => out.push(format!("Milestone {} changed", m.code)),
            _ => {}
        }
    }
    for m in &a.milestones {
        if !b.milestones.iter().any(|x| x.code == m.code) {
            out.push(format!("Milestone removed: {} ({})", m.name, m.code));
        }
    }
    for t in &b.themes {
        match a.themes.iter().find(|x| x.code == t.code) {
            None => out.push(format!(
                "Theme added: {} ({}), weight {}",
                t.name, t.code, t.weight
            )),
            Some(x) => {
                if x.weight != t.weight {
                    out.push(format!(
                        "Theme {}: weight {} to {}",
                        t.code, x.weight, t.weight
                    ));
                }
                if x.name != t.name {
                    out.push(format!(
                        "Theme {}: renamed \u{201c}{}\u{201d}",
                        t.code, t.name
                    ));
                }
            }
        }
    }
    for t in &a.themes {
        if !b.themes.iter().any(|x| x.code == t.code) {
            out.push(format!("Theme removed: {} ({})", t.name, t.code));
        }
    }
    for c in &b.criteria {
        let Some(x) = a.criteria.iter().find(|x| x.code == c.code) else {
            out.push(format!(
                "Criterion added: {} ({}), {}, weight {}",
                c.title,
                c.code,
                kind_words(&c.kind),
                c.weight
            ));
            continue;
        };
        let mut what = Vec::new();
        if x.kind != c.kind {
            what.push(format!(
                "{} to {}",
                kind_words(&x.kind),
                kind_words(&c.kind)
            ));
        }
        if x.weight != c.weight {
            what.push(format!("weight {} to {}", x.weight, c.weight));
        }
        if x.theme != c.theme {
            what.push(format!("theme {} to {}", x.theme, c.theme));
        }
        if x.gate != c.gate {
            what.push(if c.gate {
                "now a gate".into()
            } else {
                "no longer a gate".into()
            });
        }
        if x.stage != c.stage {
            what.push(format!(
                "stage {} to {}",
                x.stage.map_or("none".into(), |s| s.to_string()),
                c.stage.map_or("none".into(), |s| s.to_string())
            ));
        }
        if x.evidence != c.evidence {
            what.push(format!("evidence {:?} to {:?}", x.evidence, c.evidence).to_lowercase());
        }
        if x.checks != c.checks {
            what.push(match c.checks.len() {
                0 => "checks removed".to_string(),
                n => format!(
                    "checks changed (now {})",
                    crate::domain::types::count(n, "check", "checks")
                ),
            });
        }
        if x.title != c.title || x.guidance != c.guidance {
            what.push("wording".into());
        }
        if !what.is_empty() {
            out.push(format!("Criterion {}: {}", c.code, what.join("; ")));
        }
    }
    for c in &a.criteria {
        if !b.criteria.iter().any(|x| x.code == c.code) {
            out.push(format!("Criterion removed: {} ({})", c.title, c.code));
        }
    }
    for x in &b.benefits {
        if !a.benefits.iter().any(|y| y.code == x.code) {
            out.push(format!("Benefit added: {} ({})", x.title, x.code));
        }
    }
    for x in &a.benefits {
        if !b.benefits.iter().any(|y| y.code == x.code) {
            out.push(format!("Benefit removed: {} ({})", x.title, x.code));
        }
    }
    match (&a.panel, &b.panel) {
        (None, Some(p)) => out.push(format!(
            "Selection panel added: {} questions, scored {} to {}",
            p.questions.len(),
            p.scale_min,
            p.scale_max
        )),
        (Some(_), None) => out.push("Selection panel removed".into()),
        (Some(x), Some(y)) if x != y => {
            if (x.scale_min, x.scale_max) != (y.scale_min, y.scale_max) {
                out.push(format!(
                    "Selection panel scale: {} to {} changed to {} to {}",
                    x.scale_min, x.scale_max, y.scale_min, y.scale_max
                ));
            }
            if x.outlier_gap != y.outlier_gap || x.min_members != y.min_members {
                out.push(format!(
                    "Selection panel rules: outlier gap {} to {}, members needed {} to {}",
                    x.outlier_gap, y.outlier_gap, x.min_members, y.min_members
                ));
            }
            for q in &y.questions {
                match x.question(&q.code) {
                    None => out.push(format!("Panel question added: {} ({})", q.title, q.code)),
                    Some(old) if old != q => out.push(format!("Panel question {} changed", q.code)),
                    _ => {}
                }
            }
            for q in &x.questions {
                if y.question(&q.code).is_none() {
                    out.push(format!("Panel question removed: {} ({})", q.title, q.code));
                }
            }
        }
        _ => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn says_what_changed() {
        let text = include_str!("../../../fixtures/example/framework.toml");
        let a = Framework::from_toml(text).unwrap();
        assert!(diff(&a, &a).is_empty());
        let changed = text
            .replace("weight = 3.0", "weight = 2.0")
            .replace("target = 95.0", "target = 90.0");
        let b = Framework::from_toml(&changed).unwrap();
        let d = diff(&a, &b);
        assert!(
            d.contains(&"Theme records: weight 3 to 2".to_string()),
            "{d:?}"
        );
        assert!(
            d.iter().any(|l| l.starts_with(
                "Criterion NHS-NUMBER: percentage, target 95 to percentage, target 90"
            )),
            "{d:?}"
        );
        let fewer = Framework::from_toml(&text.replace(
            "[[criteria]]\ncode = \"CONNECT\"",
            "[[criteria]]\ncode = \"LINKED\"",
        ))
        .unwrap();
        let d = diff(&a, &fewer);
        assert!(d
            .iter()
            .any(|l| l.starts_with("Criterion added:") && l.contains("LINKED")));
        assert!(d
            .iter()
            .any(|l| l.starts_with("Criterion removed:") && l.contains("CONNECT")));
    }
}
