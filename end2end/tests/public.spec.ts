import { test, expect, url, axe, PAGES } from './fixtures'
import path from 'node:path'

// Screenshots of every public page at a phone's and a desktop's width, kept as artefacts
// in end2end/test-results/screenshots; at 320 px nothing may spill out sideways.
for (const width of [320, 1280]) {
  for (const page_path of PAGES) {
    test(`${page_path} at ${width} px`, async ({ page }) => {
      await page.setViewportSize({ width, height: 900 })
      const res = await page.goto(url(page_path))
      expect(res?.status()).toBe(page_path === '/no-such-page' ? 404 : 200)
      const name = page_path.replace(/[^a-z0-9]+/gi, '_').replace(/^_|_$/g, '') || 'home'
      await page.screenshot({
        path: path.join(__dirname, '..', 'test-results', 'screenshots', `${name}-${width}.png`),
        fullPage: true,
      })
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth)
      expect(overflow).toBeLessThanOrEqual(width + 1)
    })
  }
}

test('an economy page shows its charts with their data beside them', async ({ page }) => {
  await page.goto(url('/economies/leeds-health-and-care-economy'))
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Leeds health and care economy')
  const charts = page.getByRole('img', { name: /Leeds health and care economy: / })
  await expect(charts).toHaveCount(2)
  await expect(page.getByRole('table', { name: 'Published scores by quarter' })).toBeVisible()
  await expect(page.getByText('2015-Q1')).toHaveCount(0)
})

test('the ranking sorts by a column from its header', async ({ page }) => {
  await page.goto(url('/economies'))
  await page.getByRole('link', { name: /^Economy/ }).click()
  await expect(page).toHaveURL(/sort=name&dir=asc/)
  const names = await page.locator('table.exemplar-ranking tbody th').allTextContents()
  expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)))
  await expect(page.locator('th[aria-sort="ascending"]')).toContainText('Economy')
})

test('the regions map and table agree', async ({ page }) => {
  await page.goto(url('/regions'))
  await expect(page.getByRole('img', { name: /Map of England's regions/ })).toBeVisible()
  const london = page.locator('tr', { has: page.getByRole('link', { name: 'London' }) })
  // The cell's value, without the heading a responsive table's card shows beside it.
  const median = (await london.locator('td').nth(2).locator('span:not(.nhsuk-table-responsive__heading)').textContent())!.trim()
  await expect(page.locator('svg text', { hasText: median }).first()).toBeAttached()
})

for (const javaScriptEnabled of [true, false]) {
  test(`benefits beside maturity, from the home page, with JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled })
    const page = await context.newPage()
    await page.goto(url('/'))
    await page.getByRole('link', { name: 'Benefits: outcomes beside maturity' }).click()
    await expect(page).toHaveURL(/\/benefits$/)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Benefits: does digital maturity go with better care?')
    await expect(page.getByText('Association, not cause')).toBeVisible()
    await expect(page.getByText(/^As of 2014-Q4\./)).toBeVisible()
    const dup = page.getByTestId('benefit-DUP-TESTS')
    await expect(dup.getByTestId('benefit-summary')).toContainText(/^\d+ economies report it; \d+ of them improved on their baseline\. Lower is better/)
    await expect(dup.getByRole('img', { name: /overall score against improvement/ })).toBeVisible()
    await expect(dup.getByRole('table', { name: 'Improvement by stage reached' })).toBeVisible()
    await expect(page.getByTestId('benefit-REPEAT-STORY').getByTestId('benefit-summary')).toContainText('Higher is better')
    // Another published quarter.
    await page.getByLabel('Published quarter').selectOption('2014-Q2')
    await page.getByRole('button', { name: 'Show' }).click()
    await expect(page).toHaveURL(/as_of=2014-Q2/)
    await expect(page.getByText(/^As of 2014-Q2\./)).toBeVisible()
    // The data behind it.
    const csv = await page.request.get(url('/open-data/benefits.csv'))
    expect(csv.status()).toBe(200)
    // With a byte-order mark, so that Excel reads it as UTF-8.
    const bytes = await csv.body()
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    expect(bytes.subarray(3).toString('utf8').split('\n')[0]).toBe('as_of,benefit,better,economy,baseline_period,baseline,current,change,improved,overall,stage')
    // One economy's series beside its score.
    await page.goto(url('/economies/leeds-health-and-care-economy'))
    const series = page.getByTestId('economy-benefit-DUP-TESTS')
    await expect(series).toContainText(/Baseline [\d.]+ \(\d{4}-Q\d\), now [\d.]+/)
    await expect(series.getByRole('img')).toBeVisible()
    // As an XmR chart: the latest quarter's variation in words, each quarter's in the table.
    await expect(series.getByTestId('variation')).toContainText(/Common cause variation in the latest quarter\. Mean [\d.]+; process limits [\d.]+ to [\d.]+\./)
    // York and Selby's readmissions rose above the upper limit: a concern where lower is better.
    await page.goto(url('/economies/york-and-selby'))
    const readmissions = page.getByTestId('economy-benefit-READMISSIONS')
    await expect(readmissions.getByTestId('variation')).toContainText('Special cause variation: concerning, high')
    await readmissions.getByText('the figures, quarter by quarter').click()
    await expect(readmissions.getByRole('table')).toContainText('Special cause variation: concerning, high: outside the process limits')
    if (javaScriptEnabled) await axe(page)
    await page.getByRole('link', { name: 'How to read this chart' }).first().click()
    await expect(page.getByRole('heading', { name: "How to read each economy's benefit charts" })).toBeVisible()
    await context.close()
  })
}
