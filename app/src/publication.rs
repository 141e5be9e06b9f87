//! The board's publication page (`/admin/publication`): each quarter's calendar and
//! publication (`service::publication_view`), with what economies questioned about its figures
//! (`flags`) and how completely and on time the candidates reported it (`reporting`).

use crate::db::{self, Pool};
use crate::domain::publication::view::PublicationView;
use crate::domain::reporting::{QuarterReporting, Timeliness};
use crate::domain::Quarter;
use crate::service::{self, ServiceError};
use chrono::NaiveDate;

pub async fn publication_page(
    pool: &Pool,
    today: NaiveDate,
) -> Result<PublicationView, ServiceError> {
    let mut view = service::publication_view(pool, today).await?;
    let flags = crate::flags::all_flags(pool).await?;
    let candidates: Vec<i64> = db::candidates(pool).await?.iter().map(|e| e.id).collect();
    let records = crate::reporting::records(pool, None, today).await?;
    let current = Quarter::containing(today).to_string();
    for q in view.quarters.iter_mut() {
        q.flags = flags
            .iter()
            .filter(|f| f.quarter == q.quarter)
            .cloned()
            .collect();
        // Counted for quarters that have ended, among the candidates.
        if q.quarter < current && !candidates.is_empty() {
            let rows: Vec<&QuarterReporting> = candidates
                .iter()
                .filter_map(|id| records.get(id))
                .filter_map(|r| r.iter().find(|x| x.quarter == q.quarter))
                .collect();
            q.reporting = Some((
                rows.iter().filter(|r| r.reported == r.expected).count(),
                rows.iter()
                    .filter(|r| r.timeliness == Timeliness::OnTime)
                    .count(),
                candidates.len(),
            ));
        }
    }
    Ok(view)
}
