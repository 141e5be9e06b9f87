//! What an island reads when it starts, without island props.
//!
//! Leptos passes island props as JSON and reads them with serde_json in the browser; serde_json
//! alone was about a third of each islands bundle (its number parsing and error messages come
//! with any use, even for a single string). So islands here take no props: the page wraps an
//! island in [`WithIslandData`], which writes the island's data into the page once as postcard
//! bytes in base64 (`data-island` on a wrapping element) and hands it to the island on the
//! server as context; in the browser, [`read`] takes it from that element by its id. Both sides
//! use the same serde types, so what the island works from is what the server rendered from.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use leptos::prelude::*;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// The attribute that carries an island's data.
pub const ATTRIBUTE: &str = "data-island";

/// `value` as postcard bytes in base64 (URL-safe letters only, so nothing in it needs escaping).
pub fn encode<T: Serialize>(value: &T) -> String {
    let bytes = postcard::to_allocvec(value).expect("island data is plain data");
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The value [`encode`] wrote; `None` for text it did not write.
pub fn decode<T: DeserializeOwned>(text: &str) -> Option<T> {
    let bytes = URL_SAFE_NO_PAD.decode(text.trim()).ok()?;
    postcard::from_bytes(&bytes).ok()
}

/// On the server: the data of the island inside a [`WithIslandData`].
#[derive(Clone)]
struct Seed<T>(T);

/// Wraps an island that reads its data with [`read`]: writes `value` into the page (on a `div`
/// with `id`) and gives it to the island on the server.
#[component]
pub fn WithIslandData<T>(
    /// The wrapping element's id, which the island passes to [`read`].
    id: &'static str,
    value: T,
    children: Children,
) -> impl IntoView
where
    T: Serialize + Clone + Send + Sync + 'static,
{
    let text = encode(&value);
    provide_context(Seed(value));
    view! { <div id=id data-island=text>{children()}</div> }
}

/// The data of the island inside `<WithIslandData id>`: from context on the server, from the
/// page in the browser.
pub fn read<T>(id: &str) -> T
where
    T: DeserializeOwned + Clone + Send + Sync + 'static,
{
    #[cfg(feature = "ssr")]
    {
        let _ = id;
        use_context::<Seed<T>>()
            .expect("an island that reads its data is inside <WithIslandData>")
            .0
    }
    #[cfg(not(feature = "ssr"))]
    {
        let text = document()
            .get_element_by_id(id)
            .and_then(|el| el.get_attribute(ATTRIBUTE))
            .unwrap_or_default();
        decode(&text).expect("the page carries the island's data")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_comes_back_as_it_was_written() {
        let value = (
            vec!["E-DISCHARGE".to_string(), String::new()],
            Some(62.25_f64),
            crate::domain::Quarter::new(2015, 1).unwrap(),
        );
        let text = encode(&value);
        assert!(
            text.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
            "{text}"
        );
        assert_eq!(decode(&text), Some(value));
    }

    #[test]
    fn text_it_did_not_write_is_none() {
        assert_eq!(decode::<(String, u32)>("not base64!"), None);
        assert_eq!(decode::<(String, u32)>(""), None);
        // Valid base64 of bytes that are not the value.
        assert_eq!(
            decode::<(String, u32)>(&URL_SAFE_NO_PAD.encode([200u8])),
            None
        );
    }
}
