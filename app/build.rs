//! The migrations are embedded by `sqlx::migrate!` at compile time: a new or changed file in
//! `migrations/` must rebuild this crate (sqlx's own advice), or a build would ship without it.
fn main() {
    println!("cargo:rerun-if-changed=../migrations");
}
