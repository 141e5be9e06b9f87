import { test, expect, url, axe, ADMIN, ASSESSOR, signInStaff } from './fixtures'

// axe runs in the page, so only with JavaScript on; without it the same journeys must work.

// The demo holds a closed selection panel round on the shortlist (app/src/demo.rs).
for (const js of [true, false]) {
  test(`a member sees the round, every score of a submitted sheet with its outlier, and a conflict form that says what is missing (JavaScript ${js ? 'on' : 'off'})`, async ({ browser }) => {
    // A sign-in waits for a one-time code the server has not seen yet (up to 30 s).
    test.setTimeout(90_000)
    const context = await browser.newContext({ javaScriptEnabled: js })
    const page = await context.newPage()
    await signInStaff(page, ASSESSOR, '/assess/panel')
    await expect(page).toHaveURL(/\/assess\/panel$/)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Selection panel')
    await expect(page.getByText(/The round closed on/)).toBeVisible()
    await expect(page.getByText('Submitted', { exact: true })).toHaveCount(3)
    if (js) await axe(page)
    // Declaring a conflict needs the economy and a reason: both are named, each linked.
    await page.getByRole('button', { name: 'Declare conflict' }).click()
    await expect(page).toHaveTitle(/^Error: Selection panel/)
    const summary = page.locator('.nhsuk-error-summary')
    await expect(summary.getByRole('link', { name: 'Choose the economy you have a conflict with' })).toHaveAttribute('href', '#economy')
    await expect(summary.getByRole('link', { name: 'Say why you have a conflict of interest' })).toHaveAttribute('href', '#reason')
    if (js) await axe(page)
    // The first candidate's sheet: every member's score, the outlier and its justification.
    await page.goto(url('/assess/panel'))
    await page.locator('table a[href^="/assess/panel/"]').first().click()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^Panel scores: /)
    await expect(page.getByText('priya.raman@board.demo.nhs.uk').first()).toBeVisible()
    await expect(page.locator('.nhsuk-tag', { hasText: 'Outlier' }).first()).toBeVisible()
    await expect(page.getByText(/Justification: The benefits were measured over one quarter only/)).toBeVisible()
    // The site visit and what it found, beside each question.
    await expect(page.getByRole('heading', { name: 'Site visit', exact: true })).toBeVisible()
    await expect(page.getByText('Data sharing agreement', { exact: true })).toBeVisible()
    if (js) await axe(page)
    await context.close()
  })
}

test('an admin sees the closed round: members, results with the agreement in words, conflicts and the CSV', async ({ browser }) => {
  test.setTimeout(120_000)
  for (const js of [true, false]) {
    const context = await browser.newContext({ javaScriptEnabled: js })
    const page = await context.newPage()
    await signInStaff(page, ADMIN, '/admin/panel')
    await expect(page).toHaveURL(/\/admin\/panel$/)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText("The selection panel's round")
    await expect(page.getByText(/^Closed on /)).toBeVisible()
    await expect(page.getByTestId('alpha')).toContainText("Agreement (Krippendorff's alpha)")
    await expect(page.getByRole('cell', { name: 'Complete' })).toHaveCount(3)
    await expect(page.getByText('Director of finance at one of its trusts until March 2013')).toBeVisible()
    if (js) await axe(page)
    // The visited candidate's site visit: who went, what they looked at, what they found.
    await page.getByRole('link', { name: /^Site visit to / }).first().click()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^Site visit: /)
    await expect(page.getByText('27 March 2015')).toBeVisible()
    await expect(page.getByRole('heading', { name: 'What the visit found' })).toBeVisible()
    await expect(page.getByText('Clinical safety case', { exact: true })).toBeVisible()
    if (js) await axe(page)
    await page.getByRole('link', { name: "Back to the selection panel's round" }).click()
    const csv = await page.request.get(url('/admin/panel.csv'))
    expect(csv.status()).toBe(200)
    expect((await csv.text()).trim().split('\n')).toHaveLength(4)
    await context.close()
  }
})
