//! `/how-scores-work`: the method, generated from the active framework, with the worked
//! example scored live and a calculator.

use crate::domain::framework::Kind;
use crate::ui::components::error_page;
use crate::ui::data::{framework_data, FrameworkView};
use crate::ui::format::{long_date, percent, score};
use crate::ui::island_data::WithIslandData;
use crate::ui::islands::{CalculatorData, ScoreCalculator, CALCULATOR_DATA};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn HowScoresWorkPage() -> impl IntoView {
    let query = use_query_map();
    let params: Vec<(String, String)> = query.with_untracked(|q| {
        q.clone()
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect()
    });
    view! {
        <Title text="How scores work" />
        <Suspense fallback=|| view! { <p>"Loading the method…"</p> }>
            {
                let params = params.clone();
                move || {
                    let params = params.clone();
                    Suspend::new(async move {
                        match framework_data().await {
                            Ok(data) => view! { <Method data params /> }.into_any(),
                            Err(e) => error_page(e),
                        }
                    })
                }
            }
        </Suspense>
    }
}

fn kind_text(kind: &Kind) -> String {
    match kind {
        Kind::Boolean => "Yes or no: yes scores 100".into(),
        Kind::Percentage(t) => {
            format!("Percentage: scores 100 × value ÷ {t}, at most 100; met at {t}% or more")
        }
        Kind::Level(t) => format!("Level 0 to {t}: scores 100 × level ÷ {t}; met at {t}"),
        Kind::Date(t) => format!(
            "Date achieved: by {} scores 100, later 50, not yet 0",
            long_date(*t)
        ),
    }
}

#[component]
fn Method(data: FrameworkView, params: Vec<(String, String)>) -> impl IntoView {
    let fw = data.framework.clone();
    let themes = fw
        .themes
        .iter()
        .map(|t| {
            let criteria = fw
                .criteria
                .iter()
                .zip(&data.shares)
                .filter(|(c, _)| c.theme == t.code)
                .map(|(c, share)| {
                    view! {
                        <tr class="nhsuk-table__row">
                            <td class="nhsuk-table__cell">
                                {c.title.clone()} <br /> <span class="nhsuk-body-s">{c.code.clone()}</span>
                            </td>
                            <td class="nhsuk-table__cell">{kind_text(&c.kind)}</td>
                            <td class="nhsuk-table__cell nhsuk-table__cell--numeric">{c.weight}</td>
                            <td class="nhsuk-table__cell nhsuk-table__cell--numeric">{percent(share * 100.0)}</td>
                            <td class="nhsuk-table__cell">
                                {match (c.gate, c.stage) {
                                    (true, Some(s)) => format!("Gate; stage {s}"),
                                    (true, None) => "Gate".to_string(),
                                    (false, Some(s)) => format!("Stage {s}"),
                                    (false, None) => "–".to_string(),
                                }}
                            </td>
                        </tr>
                    }
                })
                .collect_view();
            let label = format!("{} (theme weight {})", t.name, t.weight);
            let caption = label.clone();
            view! {
                <div class="exemplar-table-scroll" tabindex="0" role="region" aria-label=label>
                <table class="nhsuk-table">
                    <caption class="nhsuk-table__caption nhsuk-table__caption--m">
                        {caption}
                    </caption>
                    <thead class="nhsuk-table__head">
                        <tr class="nhsuk-table__row">
                            <th class="nhsuk-table__header" scope="col">"Criterion"</th>
                            <th class="nhsuk-table__header" scope="col">"How it scores"</th>
                            <th class="nhsuk-table__header nhsuk-table__header--numeric" scope="col">"Weight"</th>
                            <th class="nhsuk-table__header nhsuk-table__header--numeric" scope="col">"Share of overall"</th>
                            <th class="nhsuk-table__header" scope="col">"Gate or stage"</th>
                        </tr>
                    </thead>
                    <tbody class="nhsuk-table__body">{criteria}</tbody>
                </table>
                </div>
            }
        })
        .collect_view();
    let example_rows = data
        .example_scores
        .economies
        .iter()
        .map(|e| {
            view! {
                <tr class="nhsuk-table__row">
                    <th class="nhsuk-table__header" scope="row">{e.name.clone()}</th>
                    <td class="nhsuk-table__cell nhsuk-table__cell--numeric">{e.rank.map(|r| r.to_string()).unwrap_or_else(|| "–".into())}</td>
                    <td class="nhsuk-table__cell nhsuk-table__cell--numeric">{score(e.overall)}</td>
                    <td class="nhsuk-table__cell nhsuk-table__cell--numeric">{score(e.verified_overall)}</td>
                    <td class="nhsuk-table__cell nhsuk-table__cell--numeric">{score(e.completeness)}</td>
                    <td class="nhsuk-table__cell nhsuk-table__cell--numeric">{score(e.confidence)}</td>
                    <td class="nhsuk-table__cell">{e.paperless_date.map(long_date).unwrap_or_else(|| "–".into())}</td>
                </tr>
            }
        })
        .collect_view();
    let initial: Vec<String> = fw
        .criteria
        .iter()
        .map(|c| {
            params
                .iter()
                .find(|(k, _)| *k == format!("c_{}", c.code))
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        })
        .collect();
    let paperless = fw.paperless_milestone().clone();
    let panel = fw.panel.clone().filter(|_| data.panel_public).map(|p| {
        let total: f64 = p.questions.iter().map(|q| q.weight).sum();
        let rows = p
            .questions
            .iter()
            .map(|q| view! {
                <tr class="nhsuk-table__row">
                    <th class="nhsuk-table__header" scope="row">{q.title.clone()}<br /><span class="nhsuk-body-s">{q.guidance.clone().unwrap_or_default()}</span></th>
                    <td class="nhsuk-table__cell">{format!("{:.0}%", 100.0 * q.weight / total)}</td>
                </tr>
            })
            .collect_view();
        view! {
            <h2 id="selection-panel">"How the pilot site is chosen"</h2>
            <p>{format!(
                "The scores rank the candidates; the board shortlists the strongest. A selection panel of board staff then scores each shortlisted economy on the questions below, from {} to {}, each member alone and before seeing anyone else's scores. Members declare their conflicts of interest first and do not score an economy they have a conflict with. A score at least {} from the middle of the others must be justified or changed before the round closes.",
                p.scale_min, p.scale_max, p.outlier_gap
            )}</p>
            <p>{format!(
                "A candidate's panel score is the weighted average of the members' mean scores, from 0 to 100, once at least {} members have scored every question. The panel's agreement is measured with Krippendorff's alpha: at least 0.8 is good agreement, below 0.667 the panel talks before it decides. A decision made public shows the panel score and the agreement, never a member's own scores.",
                p.min_members
            )}</p>
            <table class="nhsuk-table">
                <caption class="nhsuk-table__caption nhsuk-table__caption--s">"The panel's questions"</caption>
                <thead class="nhsuk-table__head"><tr class="nhsuk-table__row">
                    <th class="nhsuk-table__header" scope="col">"Question and what the scores mean"</th>
                    <th class="nhsuk-table__header" scope="col">"Share of the panel score"</th>
                </tr></thead>
                <tbody class="nhsuk-table__body">{rows}</tbody>
            </table>
        }
    });
    view! {
        <h1>"How scores work"</h1>
        <p class="nhsuk-lede-text">
            {format!(
                "Every candidate economy is scored against the criteria of the {} framework (version {}), the same way for everyone. This page is generated from that framework.",
                fw.name, data.version
            )}
        </p>
        <h2>"From values to scores"</h2>
        <p>"Each quarter an economy reports a value for each criterion. A value scores from 0 to 100 by its kind, as each table below says."</p>
        <ul>
            <li>"The value that counts for a quarter is the latest one reported up to that quarter that the board has not returned. A criterion with no such value scores 0."</li>
            <li>"A theme's score is the weighted average of its criteria's scores. The overall score is the weighted average of the theme scores."</li>
            <li>"The verified overall score is worked out the same way from values the board has verified, and only those. Both are published side by side, so nobody has to take self-reported figures on trust."</li>
            <li>"Completeness is the share of the overall score covered by criteria with a value; confidence the share covered by verified values."</li>
            <li>"An economy is eligible when every gate criterion is met. It reaches a stage when every criterion of that stage and the stages before it is met."</li>
            <li>"Economies are ranked eligible first, then by overall score, then by confidence, then by name (slug)."</li>
        </ul>
        <h2>"Paperless trajectory"</h2>
        <p>
            {format!(
                "An economy whose overall score reaches {} has achieved the paperless threshold. Otherwise a straight line is fitted through its overall scores, one per quarter since it first reported; where the line rises, the date it crosses {} is its projected paperless date. It is on track when that date is on or before {} ({}).",
                fw.paperless_threshold, fw.paperless_threshold, long_date(paperless.date), paperless.name
            )}
        </p>
        <h2>"Publication"</h2>
        <p>
            {format!(
                "Each quarter's figures are published on a date announced ahead, normally {} days after the quarter ends, and then fixed. A later correction is published in the open as a revision, with its date and reason.",
                fw.calendar.publication_days
            )}
        </p>
        {(fw.calendar.preview_days > 0).then(|| view! {
            <p>
                {format!(
                    "For {} before that date, each economy sees its figures as they would be published and can question any it believes wrong, with its reason. The board answers each before it publishes: the data behind the figure was corrected, or the figure stands and the board says why. The economy sees the answer.",
                    if fw.calendar.preview_days == 1 { "1 day".to_string() } else { format!("{} days", fw.calendar.preview_days) }
                )}
            </p>
        })}
        <h2>"Themes and criteria"</h2>
        {themes}
        <Checks framework=fw.clone() />
        {panel}
        <h2>"A worked example"</h2>
        <p>"Three economies scored with the specification's small example framework (two themes, four criteria), as of their latest quarter, by the same code that scores every candidate:"</p>
        <div class="exemplar-table-scroll" tabindex="0" role="region" aria-label="Worked example">
        <table class="nhsuk-table">
            <caption class="nhsuk-table__caption nhsuk-table__caption--s">{format!("Worked example, {}", data.example_scores.as_of.map(|q| q.to_string()).unwrap_or_default())}</caption>
            <thead class="nhsuk-table__head">
                <tr class="nhsuk-table__row">
                    <th class="nhsuk-table__header" scope="col">"Economy"</th>
                    <th class="nhsuk-table__header nhsuk-table__header--numeric" scope="col">"Rank"</th>
                    <th class="nhsuk-table__header nhsuk-table__header--numeric" scope="col">"Overall"</th>
                    <th class="nhsuk-table__header nhsuk-table__header--numeric" scope="col">"Verified"</th>
                    <th class="nhsuk-table__header nhsuk-table__header--numeric" scope="col">"Completeness"</th>
                    <th class="nhsuk-table__header nhsuk-table__header--numeric" scope="col">"Confidence"</th>
                    <th class="nhsuk-table__header" scope="col">"Paperless date"</th>
                </tr>
            </thead>
            <tbody class="nhsuk-table__body">{example_rows}</tbody>
        </table>
        </div>
        <p>"York's completeness is 87.5% because it has not reported its shared care level, and its verified score counts only its verified EPR date. Hull has reported nothing, so it is listed without a rank."</p>
        <h2 id="calculator">"Try it"</h2>
        <p>"Enter values for the active framework's criteria to see the scores they would give. Nothing you enter is stored."</p>
        <WithIslandData
            id=CALCULATOR_DATA
            value=CalculatorData::new(fw.clone(), initial)
        >
            <ScoreCalculator />
        </WithIslandData>
    }
}

/// How values are checked as they are entered: the active framework's checks, and how a
/// framework file states them.
#[component]
fn Checks(framework: crate::domain::Framework) -> impl IntoView {
    let rows = framework
        .criteria
        .iter()
        .flat_map(|c| c.checks.iter().map(move |k| (c, k)))
        .map(|(c, k)| {
            view! {
                <tr class="nhsuk-table__row">
                    <td class="nhsuk-table__cell">{c.title.clone()}<br /><span class="nhsuk-body-s">{c.code.clone()}</span></td>
                    <td class="nhsuk-table__cell">{crate::domain::format::sentence(&k.rule.describe(&c.kind))}</td>
                    <td class="nhsuk-table__cell">{k.message.clone()}</td>
                </tr>
            }
        })
        .collect::<Vec<_>>();
    let none = rows.is_empty();
    view! {
        <h2 id="checks">"Checks as values are entered"</h2>
        <p>"A framework can ask for some values to be checked as they are entered: a change from the quarter before that is larger than usual, a fall, or a value outside what is plausible. A check never refuses a value. It shows a warning at the question, and asks the economy to say why the value is right. The warning and the answer go with the value to the board's reviewers."</p>
        {if none {
            view! { <p>"The active framework has no checks."</p> }.into_any()
        } else {
            view! {
                <div class="exemplar-table-scroll" tabindex="0" role="region" aria-label="Checks of the active framework">
                <table class="nhsuk-table">
                    <caption class="nhsuk-table__caption nhsuk-table__caption--m">"Checks of the active framework"</caption>
                    <thead class="nhsuk-table__head">
                        <tr class="nhsuk-table__row">
                            <th class="nhsuk-table__header" scope="col">"Criterion"</th>
                            <th class="nhsuk-table__header" scope="col">"Warns of"</th>
                            <th class="nhsuk-table__header" scope="col">"What the economy is told"</th>
                        </tr>
                    </thead>
                    <tbody class="nhsuk-table__body">{rows}</tbody>
                </table>
                </div>
            }
            .into_any()
        }}
        <details class="nhsuk-details">
            <summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">"How a framework file states its checks"</span></summary>
            <div class="nhsuk-details__text">
                <p>"Each check follows its criterion in the file, as a table of the criterion:"</p>
                <pre class="exemplar-code" tabindex="0"><code>{"[[criteria.checks]]\nrule = \"max-change\"    # max-change, no-fall or range\namount = 15             # max-change: the largest usual change (points or levels)\nmessage = \"Say what changed.\"\n\n[[criteria.checks]]\nrule = \"range\"\nmin = 5                 # range: min, max or both, within the criterion's scale\nmax = 60\nmessage = \"Check the count.\""}</code></pre>
                <ul>
                    <li>"max-change warns when a value moves by more than amount from the economy's value of the quarter before, up or down. For percentage and level criteria; amount must be above 0."</li>
                    <li>"no-fall warns when a value is lower than the quarter before: a lower percentage or level, yes becoming no, or a date achieved becoming later or not yet achieved. For every kind of criterion."</li>
                    <li>"range warns when a value is below min or above max. For percentage and level criteria; min may not be above max."</li>
                    <li>"message is required: it is what the economy reads beside the warning."</li>
                </ul>
                <p>"As everywhere in a framework file, an unknown key is refused, and so is a key that does not belong to its rule (an amount on a range). A file with any problem is refused whole, with every problem listed by its key, such as criteria[4].checks[1].amount."</p>
            </div>
        </details>
    }
}
