//! Accounts and access: roles, email addresses, the password rule, and who may reach what.
//! Pure: the common-password list and the hashing live on the server (`auth`).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// What a person may do (routes.md "Who"). Board staff are assessors and admins; an admin
/// may do everything an assessor may.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Submitter,
    Assessor,
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Submitter, Role::Assessor, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Submitter => "submitter",
            Role::Assessor => "assessor",
            Role::Admin => "admin",
        }
    }

    /// Board staff give a one-time code after their password.
    pub fn is_staff(self) -> bool {
        matches!(self, Role::Assessor | Role::Admin)
    }

    /// Does this role include what `need` allows?
    pub fn includes(self, need: Role) -> bool {
        self == need || (self == Role::Admin && need == Role::Assessor)
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Submitter => "Submitter",
            Role::Assessor => "Assessor",
            Role::Admin => "Admin",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "submitter" => Ok(Role::Submitter),
            "assessor" => Ok(Role::Assessor),
            "admin" => Ok(Role::Admin),
            _ => Err(format!(
                "\"{s}\" is not a role (submitter, assessor or admin)"
            )),
        }
    }
}

/// The person signed in, as every page and handler sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: i64,
    pub email: String,
    pub role: Role,
    /// The economy of a submitter.
    pub economy: Option<crate::domain::Slug>,
}

/// An email address, trimmed and lower-cased. Deliberately loose (one `@`, something either
/// side, a dot in the domain, no spaces): the only real check is a message that arrives.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    pub fn parse(s: &str) -> Result<Self, &'static str> {
        let s = s.trim().to_lowercase();
        if s.is_empty() {
            return Err("Enter an email address");
        }
        let valid = s.len() <= 254
            && !s.chars().any(char::is_whitespace)
            && match s.split_once('@') {
                Some((local, domain)) => {
                    !local.is_empty()
                        && !domain.contains('@')
                        && domain.contains('.')
                        && !domain.starts_with('.')
                        && !domain.ends_with('.')
                }
                None => false,
            };
        if valid {
            Ok(Email(s))
        } else {
            Err("Enter an email address in the correct format, like name@example.nhs.uk")
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

pub const PASSWORD_MIN: usize = 8;
pub const PASSWORD_MAX: usize = 128;

/// The length rule (NCSC and NIST SP 800-63B: length, no composition rules). The check
/// against common passwords is the server's (`auth::check_new_password`).
pub fn password_length(password: &str) -> Result<(), String> {
    let n = password.chars().count();
    if n < PASSWORD_MIN {
        Err(format!(
            "Password must be {PASSWORD_MIN} characters or more"
        ))
    } else if n > PASSWORD_MAX {
        Err(format!(
            "Password must be {PASSWORD_MAX} characters or fewer"
        ))
    } else {
        Ok(())
    }
}

/// Who may reach a path (routes.md). Every route the server knows has an entry in
/// `server::access`; this is what an entry says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Anyone, signed in or not.
    Public,
    /// Anyone signed in.
    SignedIn,
    /// A role (an admin also has the assessor's).
    Role(Role),
}

/// What happens to a request, given who asks and what the path needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow,
    /// Not signed in: go and sign in (303) or 401 for the API.
    SignIn,
    /// Signed in without the role: 403.
    Forbid,
}

pub fn decide(need: Need, user: Option<Role>) -> Decision {
    match (need, user) {
        (Need::Public, _) => Decision::Allow,
        (_, None) => Decision::SignIn,
        (Need::SignedIn, Some(_)) => Decision::Allow,
        (Need::Role(r), Some(u)) if u.includes(r) => Decision::Allow,
        (Need::Role(_), Some(_)) => Decision::Forbid,
    }
}

/// What the account pages show: admins' accounts and audit log, an economy's team.
pub mod view {
    use serde::{Deserialize, Serialize};

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct TeamView {
        pub economy: String,
        /// email, disabled
        pub colleagues: Vec<(String, bool)>,
        /// email, invited by, expires
        pub invitations: Vec<(String, String, String)>,
        /// The colleagues who can submit (accepted, not disabled), by email.
        #[serde(default)]
        pub submitters: Vec<String>,
        /// The lead who signs each quarter off, when named.
        #[serde(default)]
        pub lead: Option<String>,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct UserLine {
        pub id: i64,
        pub email: String,
        pub role: String,
        pub economy: Option<String>,
        pub second_factor: bool,
        pub disabled: bool,
        pub sessions: i64,
    }

    /// An invitation not yet accepted, as `/admin/users` lists it.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct InvitationLine {
        /// The address invited.
        pub email: String,
        /// The role the account will have.
        pub role: String,
        /// The economy's slug, for a submitter.
        pub economy: Option<String>,
        /// Who sent the invitation.
        pub invited_by: String,
        /// When the invitation expires (as stored).
        pub expires: String,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct AdminUsersView {
        pub users: Vec<UserLine>,
        pub invitations: Vec<InvitationLine>,
    }

    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    pub struct AuditQuery {
        pub economy: String,
        pub actor: String,
        pub kind: String,
        pub from: String,
        pub to: String,
        /// `?page=` as given (see `domain::paging`).
        pub page: String,
    }

    impl AuditQuery {
        pub fn from_pairs(get: impl Fn(&str) -> Option<String>) -> Self {
            // "From" and "To" come as the NHS.UK date input's three boxes (`from-day`, ...),
            // or whole as `YYYY-MM-DD` (the links to other pages and the CSV keep them so).
            // Boxes that do not make a date are kept as typed, for the check to refuse.
            let date = |name: &str| -> String {
                let parts = ["day", "month", "year"].map(|p| get(&format!("{name}-{p}")));
                if parts.iter().all(Option::is_none) {
                    return get(name).unwrap_or_default();
                }
                let [d, m, y] = parts.map(Option::unwrap_or_default);
                if [&d, &m, &y].iter().all(|s| s.trim().is_empty()) {
                    return String::new();
                }
                crate::domain::types::date_from_parts(&d, &m, &y)
                    .map(|day| day.to_string())
                    .unwrap_or_else(|_| format!("{} {} {}", d.trim(), m.trim(), y.trim()))
            };
            AuditQuery {
                economy: get("economy").unwrap_or_default(),
                actor: get("actor").unwrap_or_default(),
                kind: get("kind").unwrap_or_default(),
                from: date("from"),
                to: date("to"),
                page: get("page").unwrap_or_default(),
            }
        }
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct AuditLine {
        pub id: i64,
        pub at: String,
        pub actor: String,
        pub kind: String,
        pub economy: Option<String>,
        pub summary: String,
        pub before: Option<String>,
        pub after: Option<String>,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct AuditView {
        /// Entries in an intact chain, or (first broken entry, why).
        pub chain: Result<usize, (i64, String)>,
        pub kinds: Vec<String>,
        /// This page's entries, newest first.
        pub entries: Vec<AuditLine>,
        /// Which page of the matching entries this is.
        pub paging: crate::domain::paging::Paging,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_parse_and_include() {
        for r in Role::ALL {
            assert_eq!(r.as_str().parse::<Role>(), Ok(r));
        }
        assert!("Admin".parse::<Role>().is_err());
        assert!(Role::Admin.includes(Role::Assessor));
        assert!(!Role::Assessor.includes(Role::Admin));
        assert!(!Role::Admin.includes(Role::Submitter));
        assert!(!Role::Submitter.is_staff());
    }

    #[test]
    fn emails_are_lower_cased_and_loosely_checked() {
        assert_eq!(
            Email::parse("  Ann.Lee@Leeds.NHS.uk ").unwrap().as_str(),
            "ann.lee@leeds.nhs.uk"
        );
        for bad in [
            "",
            "ann",
            "ann@",
            "@nhs.uk",
            "ann@nhs",
            "a b@nhs.uk",
            "a@b@nhs.uk",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn passwords_need_eight_characters_and_allow_long_ones() {
        assert!(password_length("1234567").is_err());
        assert!(password_length("12345678").is_ok());
        assert!(password_length(&"x".repeat(64)).is_ok());
        assert!(password_length(&"x".repeat(128)).is_ok());
        assert!(password_length(&"x".repeat(129)).is_err());
        // Characters, not bytes.
        assert!(password_length("ééééééé").is_err());
    }

    #[test]
    fn decisions() {
        assert_eq!(decide(Need::Public, None), Decision::Allow);
        assert_eq!(decide(Need::SignedIn, None), Decision::SignIn);
        assert_eq!(
            decide(Need::Role(Role::Assessor), Some(Role::Submitter)),
            Decision::Forbid
        );
        assert_eq!(
            decide(Need::Role(Role::Assessor), Some(Role::Admin)),
            Decision::Allow
        );
        assert_eq!(
            decide(Need::Role(Role::Admin), Some(Role::Assessor)),
            Decision::Forbid
        );
        assert_eq!(
            decide(Need::Role(Role::Submitter), Some(Role::Admin)),
            Decision::Forbid
        );
    }
}
