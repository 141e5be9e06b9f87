//! The migrations are embedded by `sqlx::migrate!` at compile time: a new or changed file in
//! `migrations/` must rebuild this crate (sqlx's own advice), or a build would ship without it.
//!
//! `island_BUNDLE` (app/src/ui/islands.rs): that bundle's islands are islands in this build:
//! on the server, in the wasm of that bundle (`bundle-BUNDLE`), and in a build with no
//! `bundle-*` feature (`make watch`, clippy), which has every island. Elsewhere they are plain
//! components that nothing calls.
const BUNDLES: [&str; 3] = ["calculator", "forms", "compare"];

fn main() {
    println!("cargo:rerun-if-changed=../migrations");
    let feature =
        |name: &str| std::env::var_os(format!("CARGO_FEATURE_{}", name.to_uppercase())).is_some();
    let all = feature("ssr") || !BUNDLES.iter().any(|b| feature(&format!("bundle_{b}")));
    for b in BUNDLES {
        println!("cargo::rustc-check-cfg=cfg(island_{b})");
        if all || feature(&format!("bundle_{b}")) {
            println!("cargo:rustc-cfg=island_{b}");
        }
    }
}
