//! What the admins' account and audit pages read: every account with its sessions and pending
//! invitations; the audit log filtered, with its chain checked; and an
//! economy's team (`/my-economy/team`).

use super::*;
use crate::domain::account::view::{
    AdminUsersView, AuditLine, AuditQuery, AuditView, InvitationLine, TeamView, UserLine,
};
use crate::domain::Slug;
use crate::service::ServiceError;

/// How many audit entries a page of `/admin/audit` shows.
pub const AUDIT_PAGE: usize = crate::domain::paging::PAGE_SIZE;

/// `/admin/users`.
pub async fn users_view(pool: &Pool) -> crate::service::Result<AdminUsersView> {
    let now = crate::auth::unix_now();
    let mut users = Vec::new();
    for u in db::list_users(pool).await? {
        users.push(UserLine {
            sessions: db::count_sessions_of(pool, u.id, now).await?,
            id: u.id,
            email: u.email,
            role: u.role,
            economy: u.economy.map(String::from),
            second_factor: u.totp_secret.is_some(),
            disabled: u.disabled,
        });
    }
    let now_rfc = db::real_now();
    let invitations = db::pending_invitations(pool, &now_rfc)
        .await?
        .into_iter()
        .map(|i| InvitationLine {
            email: i.email,
            role: i.role,
            economy: i.economy,
            invited_by: i.created_by,
            expires: i.expires_at,
        })
        .collect();
    Ok(AdminUsersView { users, invitations })
}

/// The audit filter of a query, with its dates checked.
pub fn audit_filter(q: &AuditQuery) -> std::result::Result<db::AuditFilter, String> {
    let opt = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    for (name, d) in [("from", &q.from), ("to", &q.to)] {
        if let Some(d) = opt(d) {
            if chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").is_err() {
                return Err(format!(
                    "The {name} date, {d}, must be a real date, like 1 4 2015"
                ));
            }
        }
    }
    Ok(db::AuditFilter {
        economy: opt(&q.economy),
        actor: opt(&q.actor).map(|a| a.to_lowercase()),
        kind: opt(&q.kind),
        from: opt(&q.from),
        to: opt(&q.to),
    })
}

/// `/admin/audit`: the chain checked, and the page `page` (`?page=` as given) of the entries
/// matching `filter`, newest first; past the last page, the last.
pub async fn audit_view(
    pool: &Pool,
    filter: &db::AuditFilter,
    page: &str,
) -> crate::service::Result<AuditView> {
    let chain = match verify_audit(pool).await {
        Ok(c) => c.map_err(|b| (b.id, b.reason.to_string())),
        Err(AccountError::Db(e)) => return Err(ServiceError::Db(e)),
        Err(e) => return Err(ServiceError::Refusal(e.to_string())),
    };
    let total = db::audit_count(pool, filter).await?;
    let paging = crate::domain::paging::Paging::new(page, total.max(0) as usize, AUDIT_PAGE);
    let entries = db::audit_page(pool, filter, AUDIT_PAGE as i64, paging.offset() as i64)
        .await?
        .into_iter()
        .map(|r| AuditLine {
            id: r.id,
            at: r.at,
            actor: r.actor,
            kind: r.kind,
            economy: r.economy,
            summary: r.summary,
            before: r.before,
            after: r.after,
        })
        .collect();
    Ok(AuditView {
        chain,
        kinds: db::audit_kinds(pool).await?,
        entries,
        paging,
    })
}

/// `/my-economy/team` for the economy `slug`: colleagues with accounts and invitations
/// waiting; `None` for an economy that does not exist.
pub async fn team_view(pool: &Pool, slug: &Slug) -> crate::service::Result<Option<TeamView>> {
    let Some(economy) = db::economy_by_slug(pool, slug).await? else {
        return Ok(None);
    };
    let colleagues = db::economy_users(pool, slug)
        .await?
        .into_iter()
        .map(|u| (u.email, u.disabled))
        .collect();
    let invitations = db::pending_invitations(pool, &db::real_now())
        .await?
        .into_iter()
        .filter(|i| i.economy.as_deref() == Some(slug))
        .map(|i| (i.email, i.created_by, i.expires_at))
        .collect();
    let mut conn = pool.acquire().await?;
    let submitters: Vec<String> = db::active_submitters(&mut conn, economy.id)
        .await?
        .into_iter()
        .map(|c| c.email)
        .collect();
    let lead = db::lead(&mut conn, economy.id)
        .await?
        .map(|l| l.email)
        .filter(|l| submitters.contains(l));
    Ok(Some(TeamView {
        economy: economy.name,
        colleagues,
        invitations,
        submitters,
        lead,
    }))
}

/// The audit log as the filter finds it, oldest first, as CSV with cells safe for
/// spreadsheets.
pub async fn audit_csv(pool: &Pool, filter: &db::AuditFilter) -> sqlx::Result<String> {
    let rows = db::audit_find(pool, filter, i64::MAX).await?;
    let mut csv =
        String::from("id,at,actor,kind,economy,summary,before,after,prev_hash,hash,address\n");
    for r in rows.iter().rev() {
        let id = r.id.to_string();
        let cells = [
            id.as_str(),
            &r.at,
            &r.actor,
            &r.kind,
            r.economy.as_deref().unwrap_or(""),
            &r.summary,
            r.before.as_deref().unwrap_or(""),
            r.after.as_deref().unwrap_or(""),
            &r.prev_hash,
            &r.hash,
            r.address.as_deref().unwrap_or(""),
        ];
        crate::domain::scoring::push_safe_csv_line(&mut csv, &cells);
    }
    Ok(csv)
}
