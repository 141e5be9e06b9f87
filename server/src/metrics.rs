//! `GET /metrics`: the service's figures in the Prometheus text format, for a scraper on an
//! address the configuration allows (`--metrics-allow`, loopback by default). Request counts
//! and durations by route, the page cache's hits and misses, counted as requests pass; the
//! database pool, the mail queue and publications, read when scraped.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;
use std::sync::LazyLock;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    /// The pattern of the access table the path matched (`/economies/{slug}`), or
    /// `unmatched`: a bounded set, never the path itself.
    route: &'static str,
    method: &'static str,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabels {
    outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StateLabels {
    state: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct KindLabels {
    kind: &'static str,
}

type HistogramFamily = Family<RouteLabels, Histogram, fn() -> Histogram>;

/// What the process counts as it runs (one set a process, as Prometheus expects).
struct Counted {
    requests: Family<RequestLabels, Counter>,
    durations: HistogramFamily,
    page_cache: Family<OutcomeLabels, Counter>,
}

static COUNTED: LazyLock<Counted> = LazyLock::new(|| Counted {
    requests: Family::default(),
    // 1 ms to about 16 s.
    durations: Family::new_with_constructor(|| Histogram::new(exponential_buckets(0.001, 2.0, 15))),
    page_cache: Family::default(),
});

/// One answered request, by the access table's pattern its path fell under
/// (`crate::access::route_of`).
pub fn request(
    route: Option<&'static str>,
    method: &axum::http::Method,
    status: u16,
    seconds: f64,
) {
    let route = route.unwrap_or("unmatched");
    let method = match method.as_str() {
        "GET" => "GET",
        "HEAD" => "HEAD",
        "POST" => "POST",
        "OPTIONS" => "OPTIONS",
        _ => "other",
    };
    COUNTED
        .requests
        .get_or_create(&RequestLabels {
            route,
            method,
            status,
        })
        .inc();
    COUNTED
        .durations
        .get_or_create(&RouteLabels { route })
        .observe(seconds);
}

/// What the page cache did with a request it could have answered.
#[derive(Clone, Copy)]
pub enum Cache {
    /// Answered from memory (including a `304`).
    Hit,
    /// Rendered and kept.
    Miss,
}

pub fn page_cache(outcome: Cache) {
    let outcome = match outcome {
        Cache::Hit => "hit",
        Cache::Miss => "miss",
    };
    COUNTED
        .page_cache
        .get_or_create(&OutcomeLabels { outcome })
        .inc();
}

/// The whole text a scrape gets: what was counted, and what is read now.
pub async fn render(state: &app::state::AppState) -> app::service::Result<String> {
    let now = app::service::operating_counts(&state.pool).await?;
    let mut registry = Registry::with_prefix("exemplar");
    registry.register(
        "http_requests",
        "Requests answered, by route, method and status",
        COUNTED.requests.clone(),
    );
    registry.register(
        "http_request_duration_seconds",
        "Time to answer a request, by route",
        COUNTED.durations.clone(),
    );
    registry.register(
        "page_cache_requests",
        "Public requests the page cache could answer: hit (from memory) or miss (rendered)",
        COUNTED.page_cache.clone(),
    );
    let pool = Family::<StateLabels, Gauge>::default();
    let size = i64::from(state.pool.size());
    let idle = i64::try_from(state.pool.num_idle()).unwrap_or(i64::MAX);
    pool.get_or_create(&StateLabels { state: "idle" }).set(idle);
    pool.get_or_create(&StateLabels { state: "in_use" })
        .set((size - idle).max(0));
    registry.register(
        "db_pool_connections",
        "Database connections open in the pool, idle or in use",
        pool,
    );
    let mail = Family::<StateLabels, Gauge>::default();
    mail.get_or_create(&StateLabels { state: "queued" })
        .set(now.mail_queued);
    mail.get_or_create(&StateLabels { state: "failed" })
        .set(now.mail_failed);
    registry.register(
        "mail_messages",
        "Messages waiting to be sent (queued) or given up (failed, for an admin to resend)",
        mail,
    );
    let publications = Family::<KindLabels, Gauge>::default();
    publications
        .get_or_create(&KindLabels { kind: "first" })
        .set(now.publications);
    publications
        .get_or_create(&KindLabels { kind: "revision" })
        .set(now.revisions);
    registry.register(
        "publications",
        "Quarters published (first) and revisions of them",
        publications,
    );
    let mut text = String::new();
    prometheus_client::encoding::text::encode(&mut text, &registry).expect("writing to a string");
    Ok(text)
}

/// Whether `address` (the client's, as the sign-in limits take it) may read the metrics.
pub fn allowed(allow: &[ipnet::IpNet], address: &str) -> bool {
    address
        .parse::<std::net::IpAddr>()
        .is_ok_and(|ip| allow.iter().any(|net| net.contains(&ip)))
}

/// Reads `--metrics-allow`: addresses or networks, separated by commas.
pub fn parse_allow(text: &str) -> Result<Vec<ipnet::IpNet>, String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<ipnet::IpNet>()
                .or_else(|_| s.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .map_err(|_| {
                    format!("--metrics-allow: \"{s}\" is not an address or a network such as 10.0.0.0/8")
                })
        })
        .collect()
}

/// Loopback only.
pub const DEFAULT_ALLOW: &str = "127.0.0.0/8, ::1";

static ALLOW: std::sync::OnceLock<Vec<ipnet::IpNet>> = std::sync::OnceLock::new();

/// Sets who may read the metrics, once, as the server starts (`--metrics-allow`).
pub fn set_allow(allow: Vec<ipnet::IpNet>) {
    let _ = ALLOW.set(allow);
}

/// Who may read the metrics: as set, or loopback.
pub fn allow_list() -> &'static [ipnet::IpNet] {
    ALLOW.get_or_init(|| parse_allow(DEFAULT_ALLOW).expect("a valid default"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_and_networks_are_read_and_checked() {
        let allow = parse_allow(DEFAULT_ALLOW).unwrap();
        assert!(allowed(&allow, "127.0.0.1"));
        assert!(allowed(&allow, "::1"));
        assert!(!allowed(&allow, "10.1.2.3"));
        assert!(!allowed(&allow, "unknown"));
        let allow = parse_allow("10.0.0.0/8, 192.0.2.7").unwrap();
        assert!(allowed(&allow, "10.200.0.1"));
        assert!(allowed(&allow, "192.0.2.7"));
        assert!(!allowed(&allow, "192.0.2.8"));
        let e = parse_allow("10.0.0.0/8, prometheus.internal").unwrap_err();
        assert!(e.contains("\"prometheus.internal\""), "{e}");
    }
}
