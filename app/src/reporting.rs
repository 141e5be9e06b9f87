//! Completeness and timeliness of each economy's reporting (`domain::reporting`), read from
//! the stored values, their history and the quarters' deadlines (as moved by the board).

use crate::db::{self, Pool};
use crate::domain::reporting::{record, Arrival, QuarterReporting};
use crate::domain::{Quarter, Status};
use crate::service::{self, ServiceError};
use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};

fn day(stamp: &str) -> Option<NaiveDate> {
    stamp
        .get(..10)
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
}

/// Each economy's reporting (of one, or every one) by economy id, from its first quarter with
/// a value through the quarter being reported on `today`, newest first.
pub async fn records(
    pool: &Pool,
    economy_id: Option<i64>,
    today: NaiveDate,
) -> Result<HashMap<i64, Vec<QuarterReporting>>, ServiceError> {
    let fw = service::active_framework(pool).await?.framework;
    let codes: HashSet<&str> = fw.criteria.iter().map(|c| c.code.as_str()).collect();
    let moved = db::deadline_plans(pool).await?;
    let joined = db::economies_joined(pool).await?;
    let deadline = |q: Quarter| {
        moved
            .get(&q.to_string())
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .unwrap_or_else(|| crate::domain::submission::deadline(&fw, q))
    };
    let mut by_economy: HashMap<i64, Vec<Arrival>> = HashMap::new();
    for (id, period, code, status, first) in db::arrivals(pool, economy_id).await? {
        let Ok(quarter) = period.parse::<Quarter>() else {
            continue;
        };
        let first = first.as_deref().and_then(day);
        if !codes.contains(code.as_str()) {
            continue;
        }
        by_economy.entry(id).or_default().push(Arrival {
            quarter,
            returned: status == Status::Rejected.as_str(),
            first,
        });
    }
    let last = Quarter::containing(today).prev();
    let ids: Vec<i64> = match economy_id {
        Some(id) => vec![id],
        None => joined.keys().copied().collect(),
    };
    Ok(ids
        .into_iter()
        .map(|id| {
            let arrivals = by_economy.remove(&id).unwrap_or_default();
            let first = arrivals
                .iter()
                .map(|a| a.quarter)
                .min()
                .unwrap_or(last)
                .min(last);
            let joined = joined.get(&id).and_then(|s| day(s)).unwrap_or(today);
            let r = record(
                first,
                last,
                fw.criteria.len(),
                deadline,
                joined,
                &arrivals,
                today,
            );
            (id, r)
        })
        .collect())
}
