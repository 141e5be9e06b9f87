//! The wasm entry: hydrates the islands of a server-rendered page.

// The islands live in `app`; without this reference none would be compiled in.
#[allow(unused_imports)]
use app::*;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
