import { test, expect, url, axe, signInSubmitter } from './fixtures'

// Where an economy stands: beside the economies most like it in their organisations, from the
// published scores, never a league table of named peers.
for (const js of [true, false]) {
  const how = js ? 'with JavaScript' : 'without JavaScript'
  test(`an economy sees itself beside economies like it, ${how}`, async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: js })
    const page = await context.newPage()
    await signInSubmitter(page)
    const section = page.locator('#peers + p')
    await expect(section).toContainText(/^As published for \d{4}-Q\d\. Your economy has 1 acute trust, 1 community trust, 1 mental health trust and \d+ GP practices\./)
    // Five peers, by name, without their scores.
    await expect(section).toContainText(/most like it in their trusts and practices are [^.]+, [^.]+, [^.]+, [^.]+ and [^.]+\./)
    const table = page.getByRole('table', { name: /Your published scores for \d{4}-Q\d beside economies like yours/ })
    const overall = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Overall' }) })
    await expect(overall).toContainText(/Economies like yours \(median\) \d+\.\d/)
    await expect(overall).toContainText(/Every economy \(median\) \d+\.\d/)
    await expect(overall).toContainText(/Best \d+\.\d, /)
    // What moved since the quarter before, and why.
    await expect(page.getByRole('heading', { name: 'What changed since 2014-Q4' })).toBeVisible()
    await expect(page.locator('#changes + *')).toContainText(/Nothing changed in your scores or values from 2014-Q4 to 2015-Q1\.|moved|changed for 2015-Q1/)
    // Its reporting, quarter by quarter: complete and on time, history before it joined not judged.
    const reporting = page.getByRole('table', { name: 'Completeness and timeliness of your reporting' })
    await expect(reporting.getByRole('row').filter({ has: page.getByRole('rowheader', { name: '2014-Q4', exact: true }) })).toContainText(/\d+ of \d+.*On time/)
    await expect(reporting.getByRole('row').filter({ has: page.getByRole('rowheader', { name: '2013-Q4', exact: true }) })).toContainText('Before it joined')
    await page.getByText('How economies like yours are chosen').click()
    await expect(page.getByText('One trust more or fewer counts as much as twice or half the practices.')).toBeVisible()
    if (js) await axe(page)
    await context.close()
  })
}

// A quarter's report prints as a clean A4 document: no navigation, the status on the page.
test('an economy prints its report for its board', async ({ page }) => {
  await signInSubmitter(page)
  await page.getByRole('link', { name: /A report of \d{4}-Q\d for your board/ }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^Report for \d{4}-Q\d$/)
  await expect(page.getByTestId('report-status')).toContainText(/Provisional: not yet published|Published on/)
  await axe(page)
  await page.emulateMedia({ media: 'print' })
  await expect(page.locator('header.nhsuk-header')).toBeHidden()
  await expect(page.locator('footer.nhsuk-footer')).toBeHidden()
  await expect(page.getByText('To keep a copy or send it to your board')).toBeHidden()
  // The benefit tables are open, so they print beside their charts.
  await expect(page.getByRole('table', { name: /beside the overall score/ }).first()).toBeVisible()
  await page.screenshot({ path: 'end2end/test-results/report-print.png', fullPage: true })
  // A published quarter says when it was published.
  await page.emulateMedia({ media: 'screen' })
  await page.goto(url('/my-economy/report/2014-Q4'))
  await expect(page.getByTestId('report-status')).toContainText(/^Published on \d{1,2} \w+ \d{4}/)
})
