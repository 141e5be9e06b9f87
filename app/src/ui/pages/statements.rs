//! `/accessibility-statement` and `/privacy`: the statements a public NHS service must make.

use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AccessibilityStatementPage() -> impl IntoView {
    view! {
        <Title text="Accessibility statement" />
        <h1>"Accessibility statement for Exemplar"</h1>
        <p>"This accessibility statement applies to the Exemplar service, which publishes the progress of local health economies towards becoming the NHS exemplar of interoperability and lets them and NHS England staff report and assess that progress."</p>
        <p>"This service is run by NHS England. We want as many people as possible to be able to use it. For example, that means you should be able to:"</p>
        <ul>
            <li>"change colours, contrast levels and fonts using browser or device settings"</li>
            <li>"zoom in up to 400% without the text spilling off the screen"</li>
            <li>"navigate most of the service using a keyboard or speech recognition software"</li>
            <li>"listen to most of the service using a screen reader (including the most recent versions of JAWS, NVDA and VoiceOver)"</li>
            <li>"use every page and form with JavaScript turned off"</li>
        </ul>
        <p>"We have also made the text as simple as possible to understand. "<a href="https://mcmw.abilitynet.org.uk/">"AbilityNet"</a>" has advice on making your device easier to use if you have a disability."</p>

        <h2>"How accessible this service is"</h2>
        <p>"We know some parts of this service are not fully accessible:"</p>
        <ul>
            <li>"charts are images of data: every chart has the same figures in a table beside it or in the open data downloads"</li>
            <li>"some wide tables scroll sideways on small screens"</li>
        </ul>

        <h2>"Feedback and contact information"</h2>
        <p>"If you need information on this service in a different format, like accessible PDF, large print, easy read, audio recording or braille, email "<a href="mailto:england.exemplar@nhs.net">"england.exemplar@nhs.net"</a>". We will consider your request and get back to you in 10 working days."</p>

        <h2>"Reporting accessibility problems with this service"</h2>
        <p>"We are always looking to improve the accessibility of this service. If you find any problems not listed on this page or think we are not meeting accessibility requirements, email "<a href="mailto:england.exemplar@nhs.net">"england.exemplar@nhs.net"</a>"."</p>

        <h2>"Enforcement procedure"</h2>
        <p>"The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018 (the 'accessibility regulations'). If you are not happy with how we respond to your complaint, contact the "<a href="https://www.equalityadvisoryservice.com/">"Equality Advisory and Support Service (EASS)"</a>"."</p>

        <h2>"Technical information about this service's accessibility"</h2>
        <p>"NHS England is committed to making its websites and services accessible, in accordance with the Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018."</p>
        <h3>"Compliance status"</h3>
        <p>"This service is fully compliant with the "<a href="https://www.w3.org/TR/WCAG22/">"Web Content Accessibility Guidelines version 2.2"</a>" AA standard."</p>

        <h2>"What we are doing to improve accessibility"</h2>
        <p>"Every page is checked automatically against WCAG 2.2 A and AA with axe on every change, with JavaScript on and off, and built from the NHS.UK design system's tested components."</p>

        <h2>"Preparation of this accessibility statement"</h2>
        <p>"This statement was prepared on 25 November 2026. It was last reviewed on 25 November 2026."</p>
        <p>"This service was last tested on 25 November 2026 against the WCAG 2.2 AA standard. The test was carried out by the Exemplar team with automated checks of every page and manual keyboard checks of every form."</p>
    }
}

#[component]
pub fn PrivacyPage() -> impl IntoView {
    view! {
        <Title text="Privacy" />
        <h1>"Privacy notice"</h1>
        <p class="nhsuk-lede-text">"This notice explains what information the Exemplar service holds, why, and your rights."</p>

        <h2>"Who we are"</h2>
        <p>"NHS England (formerly the NHS Commissioning Board) is the data controller for the information held by this service."</p>

        <h2>"What this service holds"</h2>
        <ul>
            <li>"About local health economies and their member organisations: names, regions, organisation codes, the readiness figures they report each quarter, the evidence they attach, and the board's assessments and decisions."</li>
            <li>"About people with an account (staff of local health economies and of NHS England): name, work email address, role, the economy they report for, a hash of their password (never the password itself), and, for board staff, a one-time-code secret for their second sign-in step."</li>
            <li>"An audit record of every change: who made it and when."</li>
            <li>"Technical records of requests (time, address requested, response status) kept to run and protect the service."</li>
        </ul>
        <p>"This service does not hold information about patients. Readiness figures are counts and percentages about organisations, never about individuals."</p>

        <h2>"Why we hold it"</h2>
        <p>"We hold this information to run the search for an exemplar of interoperability, to hold hospital trusts to the requirement of operational electronic patient records, and to publish the programme's progress openly. Our lawful basis is the performance of a task carried out in the public interest (UK GDPR article 6(1)(e)), under NHS England's functions in the National Health Service Act 2006."</p>

        <h2>"What is published"</h2>
        <p>"Economies' names, regions, published scores, member organisations and published decisions are public. People's names and email addresses are never published."</p>

        <h2>"Cookies"</h2>
        <p>"This service sets one cookie, and only when you sign in: it keeps you signed in and is deleted when you sign out or after a period of inactivity. It is strictly necessary, so we do not ask for consent. There are no analytics or advertising cookies, and pages load nothing from other websites."</p>

        <h2>"How long we keep it"</h2>
        <p>"Published figures and decisions are kept permanently as a public record. Accounts are deleted 2 years after their last use. Request records are kept for 90 days."</p>

        <h2>"Your rights"</h2>
        <p>"You can ask to see the information we hold about you, to have it corrected, or to object to how we use it. Email "<a href="mailto:england.exemplar@nhs.net">"england.exemplar@nhs.net"</a>"."</p>
        <p>"If you are unhappy with how we have used your information, you can complain to the "<a href="https://ico.org.uk/make-a-complaint/">"Information Commissioner's Office"</a>"."</p>
    }
}
