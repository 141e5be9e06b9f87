//! Accounts: `/sign-in`, `/sign-in/code`, `/reset-password`, `/invitations/{token}` and
//! `/account`. Every form posts to the server (`server::forms`), which redirects on success
//! and shows the page again with the NHS.UK error summary on a problem.

use crate::domain::account::Role;
use crate::error::AppError;
use crate::ui::components::error_page;
use crate::ui::forms::{field_value, ErrorSummary, Field, Notice};
use crate::ui::session::{current_user, form_state, session_info, FormState};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

/// A demo sign-in, shown on the sign-in page only when the demo data set is served.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DemoAccount {
    pub role: String,
    pub email: String,
    pub password: String,
    pub totp_secret: Option<String>,
}

#[server(prefix = "/_fn", endpoint = "demo-accounts")]
pub async fn demo_accounts() -> Result<Vec<DemoAccount>, AppError> {
    let state = crate::state::app_state()?;
    if !state.demo {
        return Ok(Vec::new());
    }
    Ok(crate::demo::ACCOUNTS
        .iter()
        .map(|a| DemoAccount {
            role: a.role.as_str().to_string(),
            email: a.email.to_string(),
            password: a.password.to_string(),
            totp_secret: a.totp_secret.map(str::to_string),
        })
        .collect())
}

/// A safe place to go after signing in: a path on this site, never another site. Only
/// printable ASCII without spaces or backslashes (browsers drop tabs and newlines and read a
/// backslash as a slash, so `/\t/evil.example` would become `//evil.example`), starting with
/// one slash, so it can only be read as a path on this site.
pub fn safe_next(next: &str) -> Option<String> {
    let path_only = next.starts_with('/')
        && !next.starts_with("//")
        && next.bytes().all(|b| b.is_ascii_graphic() && b != b'\\');
    path_only.then(|| next.to_string())
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_paths_on_this_site_are_followed() {
        assert_eq!(safe_next("/assess?x=1").as_deref(), Some("/assess?x=1"));
        assert_eq!(
            safe_next("/my-economy/2015-Q1").as_deref(),
            Some("/my-economy/2015-Q1")
        );
        for bad in [
            "//evil.example",
            "/\t/evil.example",
            "/\\evil.example",
            "/ /evil.example",
            "/\n/evil.example",
            "https://evil.example",
            "evil.example",
            "/\u{0}/x",
            "/é",
            "",
        ] {
            assert_eq!(safe_next(bad), None, "{bad:?}");
        }
    }
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let form = form_state();
    let query = use_query_map();
    let next = query
        .with_untracked(|q| q.get("next"))
        .and_then(|n| safe_next(&n))
        .or_else(|| safe_next(&form.value("next")))
        .unwrap_or_default();
    let (email, email_error) = field_value(&form, "email");
    let (_, password_error) = field_value(&form, "password");
    let flash = session_info().flash;
    let signed_in = current_user();
    view! {
        <Title text=if form.errors.is_empty() { "Sign in" } else { "Error: Sign in" } />
        <div class="nhsuk-grid-row">
            <div class="nhsuk-grid-column-two-thirds">
                <ErrorSummary form=form.clone() />
                <Notice text=flash.or(form.notice.clone()) />
                <h1>"Sign in"</h1>
                {signed_in.map(|u| view! {
                    <p>{format!("You are signed in as {}. ", u.email)}<a href="/account">"Go to your account"</a>"."</p>
                })}
                <p>"Sign in to report your economy's progress, or, for NHS England staff, to assess candidates."</p>
                <form method="post" action="/sign-in" novalidate>
                    <input type="hidden" name="next" value=next />
                    <Field name="email" label="Email address" kind="email" autocomplete="email" value=email error=email_error />
                    <Field name="password" label="Password" kind="password" autocomplete="current-password" error=password_error />
                    <button class="nhsuk-button" type="submit" data-module="nhsuk-button">"Sign in"</button>
                </form>
                <p><a href="/reset-password">"Forgotten your password?"</a></p>
                <p>"Is your local health economy not a candidate yet? "<a href="/nominate">"Nominate your economy"</a>"."</p>
            </div>
        </div>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match demo_accounts().await {
                    Ok(accounts) if !accounts.is_empty() => view! { <DemoAccountsCard accounts /> }.into_any(),
                    _ => ().into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn DemoAccountsCard(accounts: Vec<DemoAccount>) -> impl IntoView {
    let rows = accounts
        .into_iter()
        .map(|a| {
            view! {
                <tr class="nhsuk-table__row">
                    <td class="nhsuk-table__cell">{a.role}</td>
                    <td class="nhsuk-table__cell"><code>{a.email}</code></td>
                    <td class="nhsuk-table__cell"><code>{a.password}</code></td>
                    <td class="nhsuk-table__cell">{a.totp_secret.map(|s| view! { <code>{s}</code> }.into_any()).unwrap_or_else(|| "not needed".into_any())}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="nhsuk-card">
            <div class="nhsuk-card__content">
                <h2 class="nhsuk-card__heading">"Demonstration accounts"</h2>
                <p>"This service is running with demonstration data. Sign in with one of these accounts. Board staff also need a code from an authenticator app set up with the key shown (time-based, 6 digits, 30 seconds)."</p>
                <div class="exemplar-table-scroll" tabindex="0" role="region" aria-label="Demonstration accounts">
                    <table class="nhsuk-table">
                        <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">"Demonstration accounts"</caption>
                        <thead class="nhsuk-table__head">
                            <tr class="nhsuk-table__row">
                                <th class="nhsuk-table__header" scope="col">"Role"</th>
                                <th class="nhsuk-table__header" scope="col">"Email"</th>
                                <th class="nhsuk-table__header" scope="col">"Password"</th>
                                <th class="nhsuk-table__header" scope="col">"Authenticator key"</th>
                            </tr>
                        </thead>
                        <tbody class="nhsuk-table__body">{rows}</tbody>
                    </table>
                </div>
            </div>
        </div>
    }
}

/// Board staff's second step: the one-time code, or enrolling an app first.
#[component]
pub fn SignInCodePage() -> impl IntoView {
    let form = form_state();
    let info = session_info();
    let (_, code_error) = field_value(&form, "code");
    let title = if form.errors.is_empty() {
        "Enter your security code"
    } else {
        "Error: Enter your security code"
    };
    let Some(email) = info.pending_email else {
        return view! {
            <Title text="Sign in first" />
            <h1>"Sign in first"</h1>
            <p>"Your sign-in has ended or has not started. "<a href="/sign-in">"Sign in with your email address and password"</a>"."</p>
        }
        .into_any();
    };
    let enrol = info.enrol_secret.map(|secret| {
        view! {
            <h2>"Set up your authenticator app"</h2>
            <p>"Board staff sign in with a code from an authenticator app as well as their password. Add this account to your app (time-based, 6 digits, every 30 seconds), then enter the code it shows."</p>
            <AuthenticatorKey secret email=email.clone() />
        }
    });
    view! {
        <Title text=title />
        <div class="nhsuk-grid-row">
            <div class="nhsuk-grid-column-two-thirds">
                <ErrorSummary form=form.clone() />
                <h1>"Enter your security code"</h1>
                <p>{format!("Signing in as {email}.")}</p>
                {enrol}
                <form method="post" action="/sign-in/code" novalidate>
                    <Field name="code" label="Security code" autocomplete="one-time-code" inputmode="numeric" width="10"
                        hint="The 6-digit code from your authenticator app, or one of your recovery codes"
                        error=code_error />
                    <button class="nhsuk-button" type="submit" data-module="nhsuk-button">"Continue"</button>
                </form>
                <p><a href="/sign-in">"Start again"</a></p>
            </div>
        </div>
    }
    .into_any()
}

/// Setting up an authenticator app: a QR code of the `otpauth://` link to scan (drawn on the
/// server, with a text alternative), and beside it the key to type for anyone who cannot scan,
/// and the link itself for apps that take one. Shown only to the key's owner, on `no-store`
/// pages.
#[component]
fn AuthenticatorKey(secret: String, email: String) -> impl IntoView {
    let url = crate::auth_url(&secret, &email);
    let qr = crate::auth_qr_svg(&secret, &email);
    view! {
        <div class="exemplar-qr">
            {(!qr.is_empty()).then(|| view! {
                <figure class="exemplar-qr__figure">
                    <div class="exemplar-qr__image" inner_html=qr></div>
                    <figcaption class="nhsuk-body-s">"Scan this QR code with your authenticator app, or type the key."</figcaption>
                </figure>
            })}
            <div class="exemplar-qr__key">
                <p class="nhsuk-u-margin-bottom-2">"If you cannot scan the code, type this key into the app:"</p>
                <p><code class="exemplar-secret" data-testid="authenticator-key">{secret}</code></p>
                <details class="nhsuk-details">
                    <summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">"Set-up link for apps that accept one"</span></summary>
                    <div class="nhsuk-details__text"><code class="exemplar-secret">{url}</code></div>
                </details>
            </div>
        </div>
    }
}

/// Recovery codes, shown once after enrolling an authenticator app.
#[component]
pub fn RecoveryCodes(codes: Vec<String>) -> impl IntoView {
    (!codes.is_empty()).then(|| {
        let items = codes
            .into_iter()
            .map(|c| view! { <li><code>{c}</code></li> })
            .collect_view();
        view! {
            <div class="nhsuk-warning-callout">
                <h2 class="nhsuk-warning-callout__label"><span role="text"><span class="nhsuk-u-visually-hidden">"Important: "</span>"Your recovery codes"</span></h2>
                <p>"Keep these codes somewhere safe. Each one signs you in once if you lose your authenticator app. They will not be shown again."</p>
                <ul class="nhsuk-list exemplar-recovery-codes">{items}</ul>
            </div>
        }
    })
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TokenView {
    pub email: String,
    pub role: Role,
    pub economy: Option<String>,
    /// For board staff accepting an invitation: a new authenticator key to enrol.
    pub new_secret: Option<String>,
}

#[server(prefix = "/_fn", endpoint = "token")]
pub async fn token_details(token: String, kind: String) -> Result<Option<TokenView>, AppError> {
    let state = crate::state::app_state()?;
    let t = crate::accounts::valid_token(&state.pool, &token, &kind)
        .await
        .map_err(|_| AppError::Internal)?;
    Ok(t.and_then(|t| {
        let role: Role = t.role.parse().ok()?;
        Some(TokenView {
            email: t.email,
            role,
            economy: t.economy,
            new_secret: (kind == "invitation" && role.is_staff())
                .then(crate::auth::new_totp_secret),
        })
    }))
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let form = form_state();
    let token = use_query_map()
        .with_untracked(|q| q.get("token"))
        .filter(|t| !t.is_empty());
    let title = if form.errors.is_empty() {
        "Reset your password"
    } else {
        "Error: Reset your password"
    };
    match token {
        None => {
            let (email, email_error) = field_value(&form, "email");
            view! {
                <Title text=title />
                <div class="nhsuk-grid-row">
                    <div class="nhsuk-grid-column-two-thirds">
                        <ErrorSummary form=form.clone() />
                        <Notice text=form.notice.clone() />
                        <h1>"Reset your password"</h1>
                        <p>"Enter the email address of your account. If it has an account, we will send it a link to set a new password. The link works once, for 1 hour."</p>
                        <form method="post" action="/reset-password" novalidate>
                            <Field name="email" label="Email address" kind="email" autocomplete="email" value=email error=email_error />
                            <button class="nhsuk-button" type="submit" data-module="nhsuk-button">"Send the link"</button>
                        </form>
                    </div>
                </div>
            }
            .into_any()
        }
        Some(token) => view! {
            <Title text=title />
            <Suspense fallback=|| ()>
                {
                    let token = token.clone();
                    let form = form.clone();
                    move || {
                        let token = token.clone();
                        let form = form.clone();
                        Suspend::new(async move {
                            match token_details(token.clone(), "reset".into()).await {
                                Ok(Some(t)) => view! { <SetPassword token email=t.email form /> }.into_any(),
                                Ok(None) => view! { <LinkExpired /> }.into_any(),
                                Err(e) => error_page(e),
                            }
                        })
                    }
                }
            </Suspense>
        }
        .into_any(),
    }
}

#[component]
fn LinkExpired() -> impl IntoView {
    view! {
        <h1>"This link has expired"</h1>
        <p>"Links to set a password work once, for a limited time. "<a href="/reset-password">"Ask for a new link"</a>"."</p>
    }
}

#[component]
fn SetPassword(token: String, email: String, form: FormState) -> impl IntoView {
    let (_, password_error) = field_value(&form, "password");
    let (_, confirm_error) = field_value(&form, "confirm");
    view! {
        <div class="nhsuk-grid-row">
            <div class="nhsuk-grid-column-two-thirds">
                <ErrorSummary form=form.clone() />
                <h1>"Set a new password"</h1>
                <p>{format!("For {email}.")}</p>
                <form method="post" action="/reset-password" novalidate>
                    <input type="hidden" name="token" value=token />
                    <Field name="password" label="New password" kind="password" autocomplete="new-password"
                        hint="At least 8 characters. Three random words make a strong password that is easy to remember."
                        error=password_error />
                    <Field name="confirm" label="Confirm the new password" kind="password" autocomplete="new-password" error=confirm_error />
                    <button class="nhsuk-button" type="submit" data-module="nhsuk-button">"Set password"</button>
                </form>
            </div>
        </div>
    }
}

#[component]
pub fn InvitationPage() -> impl IntoView {
    let form = form_state();
    let token = use_params_map().with_untracked(|p| p.get("token").unwrap_or_default());
    let title = if form.errors.is_empty() {
        "Accept your invitation"
    } else {
        "Error: Accept your invitation"
    };
    if !form.secrets.is_empty() || form.notice.is_some() {
        return view! {
            <Title text="Your account is ready" />
            <h1>"Your account is ready"</h1>
            <RecoveryCodes codes=form.secrets.clone() />
            <p><a class="nhsuk-button" href="/sign-in">"Sign in"</a></p>
        }
        .into_any();
    }
    view! {
        <Title text=title />
        <Suspense fallback=|| ()>
            {
                let token = token.clone();
                let form = form.clone();
                move || {
                    let token = token.clone();
                    let form = form.clone();
                    Suspend::new(async move {
                        match token_details(token.clone(), "invitation".into()).await {
                            Ok(Some(t)) => view! { <AcceptInvitation token view=t form /> }.into_any(),
                            Ok(None) => view! {
                                <h1>"This invitation has expired"</h1>
                                <p>"Invitations work once, for 7 days. Ask the person who invited you to send a new one."</p>
                            }.into_any(),
                            Err(e) => error_page(e),
                        }
                    })
                }
            }
        </Suspense>
    }
    .into_any()
}

#[component]
fn AcceptInvitation(token: String, view: TokenView, form: FormState) -> impl IntoView {
    let (_, password_error) = field_value(&form, "password");
    let (_, confirm_error) = field_value(&form, "confirm");
    let (_, code_error) = field_value(&form, "code");
    // A secret given back by the form keeps the app the person already set up.
    let secret = Some(form.value("secret"))
        .filter(|s| !s.is_empty())
        .or(view.new_secret.clone());
    let what = match (&view.economy, view.role) {
        (Some(e), _) => format!("as a submitter for {e}"),
        (None, r) => format!("as an {}", r.as_str()),
    };
    let enrol = secret.map(|secret| {
        view! {
            <h2>"Set up your authenticator app"</h2>
            <p>"Board staff sign in with a code from an authenticator app as well as their password. Add this account to your app (time-based, 6 digits, every 30 seconds):"</p>
            <AuthenticatorKey secret=secret.clone() email=view.email.clone() />
            <input type="hidden" name="secret" value=secret />
            <Field name="code" label="Code from your authenticator app" autocomplete="one-time-code" inputmode="numeric" width="10" error=code_error.clone() />
        }
    });
    view! {
        <div class="nhsuk-grid-row">
            <div class="nhsuk-grid-column-two-thirds">
                <ErrorSummary form=form.clone() />
                <h1>"Accept your invitation"</h1>
                <p>{format!("You have been invited to Exemplar {what}, as {}.", view.email)}</p>
                <form method="post" action=format!("/invitations/{token}") novalidate>
                    <Field name="password" label="Choose a password" kind="password" autocomplete="new-password"
                        hint="At least 8 characters. Three random words make a strong password that is easy to remember."
                        error=password_error />
                    <Field name="confirm" label="Confirm the password" kind="password" autocomplete="new-password" error=confirm_error />
                    {enrol}
                    <button class="nhsuk-button" type="submit" data-module="nhsuk-button">"Create my account"</button>
                </form>
            </div>
        </div>
    }
}

/// One radio group of the email preferences.
fn frequency_group(
    name: &'static str,
    legend: &'static str,
    hint: &'static str,
    chosen: String,
    error: Option<String>,
) -> impl IntoView {
    use crate::domain::mail::Frequency;
    let items = Frequency::ALL
        .into_iter()
        .enumerate()
        .map(|(i, f)| {
            let id = if i == 0 {
                name.to_string()
            } else {
                format!("{name}-{}", f.as_str())
            };
            let checked = chosen == f.as_str();
            view! {
                <div class="nhsuk-radios__item">
                    <input class="nhsuk-radios__input" id=id.clone() name=name type="radio" value=f.as_str() checked=checked />
                    <label class="nhsuk-label nhsuk-radios__label" for=id>{f.label()}</label>
                </div>
            }
        })
        .collect_view();
    let group = if error.is_some() {
        "nhsuk-form-group nhsuk-form-group--error"
    } else {
        "nhsuk-form-group"
    };
    let hint_id = format!("{name}-hint");
    let error_id = format!("{name}-error");
    let described = if error.is_some() {
        format!("{hint_id} {error_id}")
    } else {
        hint_id.clone()
    };
    view! {
        <div class=group>
            <fieldset class="nhsuk-fieldset" aria-describedby=described>
                <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">{legend}</legend>
                <div class="nhsuk-hint" id=hint_id>{hint}</div>
                {error.map(|m| view! {
                    <span class="nhsuk-error-message" id=error_id><span class="nhsuk-u-visually-hidden">"Error: "</span>{m}</span>
                })}
                <div class="nhsuk-radios">{items}</div>
            </fieldset>
        </div>
    }
}

/// Which optional messages a person gets, and how often.
#[component]
fn EmailPreferences(data: AccountView, form: FormState) -> impl IntoView {
    let posted = form.value("action") == "email-preferences";
    let pick = |name: &str, stored: &str| {
        if posted {
            form.value(name)
        } else if stored.is_empty() {
            "now".to_string()
        } else {
            stored.to_string()
        }
    };
    let reminders = pick("reminders", &data.reminders);
    let publications = pick("publications", &data.publications);
    view! {
        <h2 id="email">"Email"</h2>
        <p>"Messages about your account, the board's decisions, values returned to you and questions from the board are always sent. You can choose how you get the rest."</p>
        <form method="post" action="/account" novalidate>
            <input type="hidden" name="action" value="email-preferences" />
            {frequency_group("reminders", "Deadline reminders", "A week before a quarter's values are due, and on the day, when some are missing.", reminders, form.error_for("reminders"))}
            {frequency_group("publications", "Publication notices", "When a quarter's figures are published or revised, with your economy's own figures.", publications, form.error_for("publications"))}
            <button class="nhsuk-button nhsuk-button--secondary" type="submit" data-module="nhsuk-button">"Save email preferences"</button>
        </form>
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountView {
    pub email: String,
    pub role: Role,
    /// The name of a submitter's economy.
    pub economy: Option<String>,
    pub has_second_factor: bool,
    pub recovery_codes_left: i64,
    pub new_secret: String,
    /// How often deadline reminders and publication notices go: `now`, `weekly` or `off`.
    #[serde(default)]
    pub reminders: String,
    #[serde(default)]
    pub publications: String,
}

#[server(prefix = "/_fn", endpoint = "account")]
pub async fn account_data() -> Result<AccountView, AppError> {
    let state = crate::state::app_state()?;
    let user = current_user().ok_or(AppError::Forbidden)?;
    let has = crate::accounts::has_second_factor(&state.pool, user.id)
        .await
        .map_err(|_| AppError::Internal)?;
    let left = crate::accounts::recovery_codes_left(&state.pool, user.id).await?;
    let economy = match user.economy {
        Some(slug) => Some(
            crate::accounts::economy_name(&state.pool, &slug)
                .await?
                .unwrap_or_else(|| slug.to_string()),
        ),
        None => None,
    };
    let (reminders, publications) = crate::mail::preferences(&state.pool, user.id).await?;
    Ok(AccountView {
        reminders: reminders.as_str().to_string(),
        publications: publications.as_str().to_string(),
        email: user.email,
        role: user.role,
        economy,
        has_second_factor: has,
        recovery_codes_left: left,
        new_secret: crate::auth::new_totp_secret(),
    })
}

#[component]
pub fn AccountPage() -> impl IntoView {
    let form = form_state();
    let title = if form.errors.is_empty() {
        "Your account"
    } else {
        "Error: Your account"
    };
    view! {
        <Title text=title />
        <Suspense fallback=|| ()>
            {
                let form = form.clone();
                move || {
                    let form = form.clone();
                    Suspend::new(async move {
                        match account_data().await {
                            Ok(data) => view! { <Account data form /> }.into_any(),
                            Err(e) => error_page(e),
                        }
                    })
                }
            }
        </Suspense>
    }
}

#[component]
fn Account(data: AccountView, form: FormState) -> impl IntoView {
    let flash = session_info().flash;
    let action = form.value("action");
    let err = |f: &str, a: &str| {
        if action == a {
            form.error_for(f)
        } else {
            None
        }
    };
    let role_line = match &data.economy {
        Some(e) => format!("{} for {e}", data.role.label()),
        None => data.role.label().to_string(),
    };
    let staff = data.role.is_staff();
    let secret = Some(form.value("secret"))
        .filter(|s| !s.is_empty() && action == "second-factor")
        .unwrap_or(data.new_secret.clone());
    let email_value = if action == "email" {
        form.value("email")
    } else {
        String::new()
    };
    view! {
        <div class="nhsuk-grid-row">
            <div class="nhsuk-grid-column-two-thirds">
                <ErrorSummary form=form.clone() />
                <Notice text=flash.or(form.notice.clone()) />
                <RecoveryCodes codes=form.secrets.clone() />
                <h1>"Your account"</h1>
                <dl class="nhsuk-summary-list">
                    <div class="nhsuk-summary-list__row">
                        <dt class="nhsuk-summary-list__key">"Email address"</dt>
                        <dd class="nhsuk-summary-list__value">{data.email.clone()}</dd>
                    </div>
                    <div class="nhsuk-summary-list__row">
                        <dt class="nhsuk-summary-list__key">"Role"</dt>
                        <dd class="nhsuk-summary-list__value">{role_line}</dd>
                    </div>
                    <div class="nhsuk-summary-list__row">
                        <dt class="nhsuk-summary-list__key">"Authenticator app"</dt>
                        <dd class="nhsuk-summary-list__value">{if data.has_second_factor {
                            format!("Set up; {} recovery codes left", data.recovery_codes_left)
                        } else if staff {
                            "Not set up: you will set one up when you next sign in".to_string()
                        } else {
                            "Not needed for your role".to_string()
                        }}</dd>
                    </div>
                </dl>
                <EmailPreferences data=data.clone() form=form.clone() />
                <p>"Each change below asks for your current password first."</p>

                <h2 id="change-password">"Change your password"</h2>
                <form method="post" action="/account" novalidate>
                    <input type="hidden" name="action" value="password" />
                    <Field name="current" label="Current password" kind="password" autocomplete="current-password" error=err("current", "password") />
                    <Field name="password" label="New password" kind="password" autocomplete="new-password" hint="At least 8 characters." error=err("password", "password") />
                    <Field name="confirm" label="Confirm the new password" kind="password" autocomplete="new-password" error=err("confirm", "password") />
                    <button class="nhsuk-button nhsuk-button--secondary" type="submit" data-module="nhsuk-button">"Change password"</button>
                </form>

                <h2 id="change-email">"Change your email address"</h2>
                <form method="post" action="/account" novalidate>
                    <input type="hidden" name="action" value="email" />
                    <Field name="current" label="Current password" kind="password" autocomplete="current-password" error=err("current", "email") />
                    <Field name="email" label="New email address" kind="email" autocomplete="email" value=email_value error=err("email", "email") />
                    <button class="nhsuk-button nhsuk-button--secondary" type="submit" data-module="nhsuk-button">"Change email address"</button>
                </form>

                {staff.then(|| view! {
                    <h2 id="second-factor">"Set up a new authenticator app"</h2>
                    <p>"This replaces your current app and recovery codes. Add this account to the new app (time-based, 6 digits, every 30 seconds):"</p>
                    <AuthenticatorKey secret=secret.clone() email=data.email.clone() />
                    <form method="post" action="/account" novalidate>
                        <input type="hidden" name="action" value="second-factor" />
                        <input type="hidden" name="secret" value=secret.clone() />
                        <Field name="current" label="Current password" kind="password" autocomplete="current-password" error=err("current", "second-factor") />
                        <Field name="code" label="Code from the new app" autocomplete="one-time-code" inputmode="numeric" width="10" error=err("code", "second-factor") />
                        <button class="nhsuk-button nhsuk-button--secondary" type="submit" data-module="nhsuk-button">"Use the new app"</button>
                    </form>
                })}

                <h2>"Sign out"</h2>
                <form method="post" action="/sign-out">
                    <button class="nhsuk-button nhsuk-button--secondary" type="submit" data-module="nhsuk-button">"Sign out"</button>
                </form>
            </div>
        </div>
    }
}
