//! Credentials: password hashing (argon2id), the common-password check, one-time codes
//! (RFC 6238), random tokens and recovery codes. No SQL and no HTTP.

use crate::audit::sha256_hex;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::RngCore;
use std::collections::HashSet;
use std::sync::OnceLock;
use tokio::sync::Semaphore;

/// OWASP's current minimum for argon2id: 19 MiB, 2 iterations, 1 lane.
fn argon2() -> Argon2<'static> {
    Argon2::new(
        Algorithm::Argon2id,
        Version::V0x13,
        Params::new(19 * 1024, 2, 1, None).expect("valid argon2 parameters"),
    )
}

/// Hashes run on blocking threads, at most this many at once (each takes 19 MiB and most of
/// a core for tens of milliseconds), so a burst of sign-ins cannot starve the server.
const CONCURRENT_HASHES: usize = 4;

fn hashing() -> &'static Semaphore {
    static S: OnceLock<Semaphore> = OnceLock::new();
    S.get_or_init(|| Semaphore::new(CONCURRENT_HASHES))
}

pub async fn hash_password(password: &str) -> String {
    let password = password.to_string();
    let _permit = hashing().acquire().await.expect("never closed");
    tokio::task::spawn_blocking(move || {
        let mut salt = [0u8; 16];
        rand::rngs::OsRng.fill_bytes(&mut salt);
        let salt = SaltString::encode_b64(&salt).expect("16 bytes encode");
        argon2()
            .hash_password(password.as_bytes(), &salt)
            .expect("argon2 hashes")
            .to_string()
    })
    .await
    .expect("the hashing thread finishes")
}

/// Checks a password against a stored hash. With no account (or no password set) the check
/// runs against a dummy hash, so the time taken says nothing about which emails exist.
pub async fn verify_password(stored: Option<&str>, password: &str) -> bool {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let known = stored.is_some();
    let stored = match stored {
        Some(s) => s.to_string(),
        None => match DUMMY.get() {
            Some(d) => d.clone(),
            None => {
                let d = hash_password("not a password anyone has").await;
                DUMMY.get_or_init(|| d).clone()
            }
        },
    };
    let password = password.to_string();
    let _permit = hashing().acquire().await.expect("never closed");
    let ok = tokio::task::spawn_blocking(move || {
        PasswordHash::new(&stored)
            .map(|h| argon2().verify_password(password.as_bytes(), &h).is_ok())
            .unwrap_or(false)
    })
    .await
    .expect("the hashing thread finishes");
    ok && known
}

/// The 100,000 most common passwords of SecLists (MIT licence), those of 8 to 64
/// characters, lower-cased.
const COMMON: &str = include_str!("../data/common-passwords.txt");

fn common() -> &'static HashSet<&'static str> {
    static S: OnceLock<HashSet<&'static str>> = OnceLock::new();
    S.get_or_init(|| COMMON.lines().collect())
}

/// The rule for a new password: 8 to 128 characters, not a common one, not the email.
pub fn check_new_password(password: &str, email: &str) -> Result<(), String> {
    crate::domain::account::password_length(password)?;
    let lower = password.to_lowercase();
    if common().contains(lower.as_str()) {
        return Err("This password is too common. Choose one that would be hard to guess, such as three random words".into());
    }
    if lower == email.to_lowercase() {
        return Err("Your password must not be your email address".into());
    }
    Ok(())
}

/// A random URL-safe token (256 bits) for one-time links.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What is stored of a token or recovery code: its SHA-256.
pub fn token_hash(token: &str) -> String {
    sha256_hex(token.trim().to_lowercase().as_bytes())
}

/// Ten recovery codes like `k7dq-2mxp-9tch`.
pub fn recovery_codes() -> Vec<String> {
    const ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyz";
    (0..10)
        .map(|_| {
            let mut bytes = [0u8; 12];
            rand::rngs::OsRng.fill_bytes(&mut bytes);
            let s: String = bytes
                .iter()
                .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
                .collect();
            format!("{}-{}-{}", &s[0..4], &s[4..8], &s[8..12])
        })
        .collect()
}

/// A new one-time-code secret, base32 (160 bits, as RFC 4226 recommends).
pub fn new_totp_secret() -> String {
    let mut bytes = vec![0u8; 20];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    match totp_rs::Secret::Raw(bytes).to_encoded() {
        totp_rs::Secret::Encoded(s) => s,
        totp_rs::Secret::Raw(_) => unreachable!("to_encoded encodes"),
    }
}

const STEP: u64 = 30;

fn totp(secret: &str, email: &str) -> Option<totp_rs::TOTP> {
    let bytes = totp_rs::Secret::Encoded(secret.to_string())
        .to_bytes()
        .ok()?;
    totp_rs::TOTP::new(
        totp_rs::Algorithm::SHA1,
        6,
        1,
        STEP,
        bytes,
        Some("Exemplar".to_string()),
        email.replace(':', ""),
    )
    .ok()
}

/// The enrolment line authenticator apps read: `otpauth://totp/Exemplar:…?secret=…`.
pub fn totp_url(secret: &str, email: &str) -> String {
    totp(secret, email).map(|t| t.get_url()).unwrap_or_default()
}

/// The enrolment line as a QR code: an inline SVG (black on white, with its quiet zone) that
/// names itself for screen readers. Empty when the line is empty or too long for a code.
/// The line holds the secret, so the page that shows it must be `no-store`, and it is never
/// logged.
pub fn totp_qr_svg(url: &str) -> String {
    use qrcode::render::svg;
    if url.is_empty() {
        return String::new();
    }
    let Ok(code) = qrcode::QrCode::with_error_correction_level(url, qrcode::EcLevel::M) else {
        return String::new();
    };
    let drawn = code
        .render::<svg::Color>()
        .min_dimensions(180, 180)
        .quiet_zone(true)
        .build();
    // Inline in HTML: no XML declaration, and a name for assistive technology.
    let svg = drawn
        .find("<svg")
        .map_or(drawn.as_str(), |start| &drawn[start..]);
    svg.replacen(
        "<svg ",
        "<svg class=\"exemplar-qr__code\" role=\"img\" aria-label=\"QR code for setting up your authenticator app\" focusable=\"false\" ",
        1,
    )
}

/// The code for a secret at a unix time (for tests and the demo's printed codes).
pub fn totp_code(secret: &str, unix: u64) -> String {
    totp(secret, "x")
        .map(|t| t.generate(unix))
        .unwrap_or_default()
}

/// The time step whose code this is, allowing one step either side for clock drift; the
/// caller accepts it only if it is later than the last step accepted (a code works once).
pub fn totp_step(secret: &str, code: &str, unix: u64) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let t = totp(secret, "x")?;
    let now = unix / STEP;
    // Compared in constant time, and every candidate step is compared.
    let mut found: Option<i64> = None;
    for s in [now.saturating_sub(1), now, now + 1] {
        let same: bool =
            subtle::ConstantTimeEq::ct_eq(t.generate(s * STEP).as_bytes(), code.as_bytes()).into();
        if same && found.is_none() {
            found = Some(s as i64);
        }
    }
    found
}

/// Seconds since 1970 by the real clock (security never uses the programme's today).
pub fn unix_now() -> i64 {
    chrono::Utc::now().timestamp()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn passwords_hash_and_verify() {
        let h = hash_password("correct horse battery").await;
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify_password(Some(&h), "correct horse battery").await);
        assert!(!verify_password(Some(&h), "correct horse battery!").await);
        // No account: false whatever is given, after the same work.
        assert!(!verify_password(None, "not a password anyone has").await);
    }

    #[test]
    fn common_passwords_are_refused() {
        assert!(check_new_password("password1", "a@b.nhs.uk").is_err());
        assert!(check_new_password("PASSWORD1", "a@b.nhs.uk").is_err());
        assert!(check_new_password("iloveyou", "a@b.nhs.uk").is_err());
        assert!(check_new_password("a@b.nhs.uk", "a@b.nhs.uk").is_err());
        assert!(check_new_password("short", "a@b.nhs.uk").is_err());
        assert!(check_new_password("kettle orbit marmalade", "a@b.nhs.uk").is_ok());
        assert!(check_new_password(&"y".repeat(64), "a@b.nhs.uk").is_ok());
    }

    #[test]
    fn one_time_codes_follow_rfc_6238() {
        // RFC 6238 appendix B: the SHA-1 secret "12345678901234567890", 59 s -> 94287082
        // (8 digits); with 6 digits the code is its last six.
        let secret = match totp_rs::Secret::Raw(b"12345678901234567890".to_vec()).to_encoded() {
            totp_rs::Secret::Encoded(s) => s,
            _ => unreachable!(),
        };
        assert_eq!(totp_code(&secret, 59), "287082");
        assert_eq!(totp_code(&secret, 1111111109), "081804");
        assert_eq!(totp_step(&secret, "287082", 59), Some(1));
        // One step of drift either way is accepted, two are not.
        assert_eq!(totp_step(&secret, "287082", 89), Some(1));
        assert_eq!(totp_step(&secret, "287082", 150), None);
        assert_eq!(totp_step(&secret, "28708", 59), None);
        assert_eq!(totp_step(&secret, "abcdef", 59), None);
        let url = totp_url(&secret, "ann@board.nhs.uk");
        assert!(
            url.starts_with("otpauth://totp/Exemplar:ann%40board.nhs.uk?"),
            "{url}"
        );
        assert!(url.contains(&format!("secret={secret}")));
    }

    #[test]
    fn the_enrolment_line_is_drawn_as_a_named_svg_qr_code() {
        let url = totp_url("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "ann@board.nhs.uk");
        let svg = totp_qr_svg(&url);
        assert!(
            svg.starts_with("<svg class=\"exemplar-qr__code\" role=\"img\" aria-label=\"QR code"),
            "{svg}"
        );
        assert!(svg.ends_with("</svg>"));
        // Drawn as one path of modules: the secret is not written in the picture as text.
        assert!(!svg.contains("JBSWY3DP"));
        assert!(!svg.contains("<?xml") && !svg.contains("style"));
        assert_eq!(totp_qr_svg(""), "");
    }

    #[test]
    fn tokens_and_codes_are_random_and_hashed() {
        assert_ne!(random_token(), random_token());
        assert_eq!(random_token().len(), 64);
        let codes = recovery_codes();
        assert_eq!(codes.len(), 10);
        assert!(codes.iter().all(|c| c.len() == 14));
        assert_eq!(token_hash(" ABC "), token_hash("abc"));
    }
}
