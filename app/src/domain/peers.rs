//! Fair comparison: an economy beside the economies most like it in the organisations it is
//! made of, rather than in a league table of everyone. Two economies' mixes differ by
//!
//! `|Δ acute trusts| + |Δ community trusts| + |Δ mental health trusts| + |log2((practices + 1) / (other's practices + 1))|`
//!
//! so one trust more or fewer counts as much as twice (or half) the GP practices. The peers
//! are the [`PEERS`] nearest (ties broken by slug), never the economy itself.

use serde::{Deserialize, Serialize};

/// How many peers an economy is compared with.
pub const PEERS: usize = 5;

/// The organisations an economy is made of, by kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mix {
    pub acute: u32,
    pub community: u32,
    pub mental_health: u32,
    pub practices: u32,
}

impl Mix {
    /// Counts members by their kind (`domain::nomination::ORGANISATION_KINDS`); other kinds
    /// (CCGs, ambulance trusts, social care) do not shape the mix.
    pub fn from_kinds<'a>(kinds: impl IntoIterator<Item = &'a str>) -> Mix {
        let mut m = Mix::default();
        for k in kinds {
            match k {
                "acute" => m.acute += 1,
                "community" => m.community += 1,
                "mental-health" => m.mental_health += 1,
                "gp-practice" => m.practices += 1,
                _ => {}
            }
        }
        m
    }

    /// How far this mix is from `other` (see the module's formula).
    pub fn distance(&self, other: &Mix) -> f64 {
        let d = |a: u32, b: u32| f64::from(a.abs_diff(b));
        d(self.acute, other.acute)
            + d(self.community, other.community)
            + d(self.mental_health, other.mental_health)
            + (f64::from(self.practices + 1) / f64::from(other.practices + 1))
                .log2()
                .abs()
    }

    /// "2 acute trusts, 1 community trust, no mental health trust and 97 GP practices".
    pub fn words(&self) -> String {
        let n = |k: u32, one: &str, many: &str| match k {
            0 => format!("no {one}"),
            1 => format!("1 {one}"),
            k => format!("{k} {many}"),
        };
        format!(
            "{}, {}, {} and {}",
            n(self.acute, "acute trust", "acute trusts"),
            n(self.community, "community trust", "community trusts"),
            n(
                self.mental_health,
                "mental health trust",
                "mental health trusts"
            ),
            n(self.practices, "GP practice", "GP practices")
        )
    }
}

/// The [`PEERS`] economies of `others` (slug, mix) nearest to `me`'s mix, nearest first;
/// `me` itself is never among them.
pub fn peers<'a>(me: &str, mix: &Mix, others: &'a [(String, Mix)]) -> Vec<&'a str> {
    let mut near: Vec<(f64, &str)> = others
        .iter()
        .filter(|(slug, _)| slug != me)
        .map(|(slug, m)| (mix.distance(m), slug.as_str()))
        .collect();
    near.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(b.1)));
    near.into_iter().take(PEERS).map(|(_, s)| s).collect()
}

/// One economy's scores for the comparison: overall, then each theme in the framework's order.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    pub slug: String,
    pub name: String,
    pub overall: f64,
    pub themes: Vec<f64>,
}

/// One line of "where you stand": the economy's score, its peers' median, the national median
/// and the best (with its economy's name; the only other economy named beside a score).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StandingRow {
    pub measure: String,
    pub you: f64,
    pub peers: Option<f64>,
    pub national: Option<f64>,
    pub best: Option<(f64, String)>,
}

/// The fewest economies a median is given for: a median of one or two economies would give
/// away their own scores.
pub const FEWEST: usize = 3;

/// An economy beside its peers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Standing {
    /// The published quarter the scores are from (YYYY-Qn).
    pub quarter: String,
    /// Its own mix, in words.
    pub mix: String,
    /// Its peers' names, alphabetically (never with their scores).
    pub peers: Vec<String>,
    /// Overall first, then each theme.
    pub rows: Vec<StandingRow>,
}

/// `me` beside its peers among `scored` (their members' mix in `mixes`), the national median of
/// every scored economy and the best, from the published `quarter`; none when `me` has no
/// scores there. A median of fewer than [`FEWEST`] economies is not given. `themes` names the themes
/// in the order of `Scored::themes`.
pub fn standing(
    quarter: &str,
    me: &str,
    mixes: &[(String, Mix)],
    scored: &[Scored],
    themes: &[String],
) -> Option<Standing> {
    let mine = scored.iter().find(|s| s.slug == me)?;
    let mix = mixes
        .iter()
        .find(|(s, _)| s == me)
        .map(|(_, m)| *m)
        .unwrap_or_default();
    // Every scored economy, those without members as an empty mix.
    let comparable: Vec<(String, Mix)> = scored
        .iter()
        .map(|x| {
            let m = mixes.iter().find(|(s, _)| *s == x.slug).map(|(_, m)| *m);
            (x.slug.clone(), m.unwrap_or_default())
        })
        .collect();
    let near = peers(me, &mix, &comparable);
    let peer_scores: Vec<&Scored> = scored
        .iter()
        .filter(|s| near.contains(&s.slug.as_str()))
        .collect();
    let mut names: Vec<String> = peer_scores.iter().map(|s| s.name.clone()).collect();
    names.sort();
    let row = |measure: String, pick: &dyn Fn(&Scored) -> f64| {
        let best = scored
            .iter()
            .max_by(|a, b| pick(a).total_cmp(&pick(b)).then(b.name.cmp(&a.name)))
            .map(|s| {
                let who = if s.slug == me {
                    "You".to_string()
                } else {
                    s.name.clone()
                };
                (pick(s), who)
            });
        let median = |xs: Vec<f64>| {
            (xs.len() >= FEWEST)
                .then(|| super::benefits::median(xs))
                .flatten()
        };
        StandingRow {
            measure,
            you: pick(mine),
            peers: median(peer_scores.iter().map(|s| pick(s)).collect()),
            national: median(scored.iter().map(pick).collect()),
            best,
        }
    };
    let mut rows = vec![row("Overall".into(), &|s: &Scored| s.overall)];
    for (i, name) in themes.iter().enumerate() {
        rows.push(row(name.clone(), &|s: &Scored| {
            s.themes.get(i).copied().unwrap_or(0.0)
        }));
    }
    Some(Standing {
        quarter: quarter.to_string(),
        mix: mix.words(),
        peers: names,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mix(acute: u32, community: u32, mental_health: u32, practices: u32) -> Mix {
        Mix {
            acute,
            community,
            mental_health,
            practices,
        }
    }

    #[test]
    fn a_mix_counts_trusts_and_practices_and_nothing_else() {
        let m = Mix::from_kinds([
            "acute",
            "acute",
            "community",
            "gp-practice",
            "ccg",
            "social-care",
            "ambulance",
        ]);
        assert_eq!(m, mix(2, 1, 0, 1));
        assert_eq!(
            m.words(),
            "2 acute trusts, 1 community trust, no mental health trust and 1 GP practice"
        );
    }

    #[test]
    fn a_trust_weighs_as_much_as_doubling_the_practices() {
        let me = mix(1, 1, 1, 99);
        assert_eq!(me.distance(&me), 0.0);
        assert!((me.distance(&mix(2, 1, 1, 99)) - 1.0).abs() < 1e-9);
        assert!((me.distance(&mix(1, 1, 1, 199)) - 1.0).abs() < 1e-9);
        assert!((me.distance(&mix(1, 1, 1, 49)) - 1.0).abs() < 1e-9);
        // Symmetric.
        assert_eq!(
            me.distance(&mix(3, 0, 2, 10)),
            mix(3, 0, 2, 10).distance(&me)
        );
    }

    #[test]
    fn the_peers_are_the_five_nearest_never_itself_ties_by_slug() {
        let others: Vec<(String, Mix)> = [
            ("me", mix(2, 1, 1, 100)),
            ("twin", mix(2, 1, 1, 100)),
            ("bigger", mix(4, 1, 1, 300)),
            ("no-mh-b", mix(2, 1, 0, 100)),
            ("no-mh-a", mix(2, 1, 0, 100)),
            ("half", mix(2, 1, 1, 50)),
            ("small", mix(1, 0, 0, 20)),
            ("city", mix(6, 2, 2, 900)),
        ]
        .into_iter()
        .map(|(s, m)| (s.to_string(), m))
        .collect();
        let found = peers("me", &mix(2, 1, 1, 100), &others);
        assert_eq!(found, vec!["twin", "half", "no-mh-a", "no-mh-b", "bigger"]);
        // Fewer others than PEERS: all of them.
        assert_eq!(
            peers("me", &mix(2, 1, 1, 100), &others[..3]),
            vec!["twin", "bigger"]
        );
    }

    #[test]
    fn standing_gives_medians_of_peers_and_nation_and_names_only_the_best() {
        let scored: Vec<Scored> = [
            ("me", "Me", 50.0, 40.0),
            ("a", "Alpha", 60.0, 90.0),
            ("b", "Bravo", 40.0, 20.0),
            ("c", "Charlie", 70.0, 30.0),
            ("far", "Far", 90.0, 10.0),
        ]
        .into_iter()
        .map(|(slug, name, overall, t)| Scored {
            slug: slug.into(),
            name: name.into(),
            overall,
            themes: vec![t],
        })
        .collect();
        let mixes: Vec<(String, Mix)> = [
            ("me", mix(1, 0, 0, 50)),
            ("a", mix(1, 0, 0, 50)),
            ("b", mix(1, 0, 0, 60)),
            ("c", mix(1, 1, 0, 50)),
            ("far", mix(5, 2, 2, 800)),
            ("unscored", mix(1, 0, 0, 50)),
        ]
        .into_iter()
        .map(|(s, m)| (s.to_string(), m))
        .collect();
        let s = standing("2014-Q4", "me", &mixes, &scored, &["Records".to_string()]).unwrap();
        assert_eq!(
            s.mix,
            "1 acute trust, no community trust, no mental health trust and 50 GP practices"
        );
        // Five peers wanted, four others scored: all four, alphabetically, never "unscored".
        assert_eq!(s.peers, vec!["Alpha", "Bravo", "Charlie", "Far"]);
        let overall = &s.rows[0];
        assert_eq!(overall.you, 50.0);
        assert_eq!(overall.peers, Some(65.0));
        assert_eq!(overall.national, Some(60.0));
        assert_eq!(overall.best, Some((90.0, "Far".to_string())));
        let records = &s.rows[1];
        assert_eq!(records.measure, "Records");
        assert_eq!(records.best, Some((90.0, "Alpha".to_string())));
        assert_eq!(records.national, Some(30.0));
        // The best may be the economy itself.
        let s = standing("2014-Q4", "a", &mixes, &scored, &["Records".to_string()]).unwrap();
        assert_eq!(s.rows[1].best, Some((90.0, "You".to_string())));
        assert!(standing("2014-Q4", "unscored", &mixes, &scored, &[]).is_none());
        // Fewer than three: no median, which would give their scores away.
        let two = &scored[..3];
        let s = standing("2014-Q4", "me", &mixes, two, &[]).unwrap();
        assert_eq!(s.peers, vec!["Alpha", "Bravo"]);
        assert_eq!(s.rows[0].peers, None);
        assert_eq!(s.rows[0].national, Some(50.0));
    }
}
