import { test, expect, url, PAGES, axe } from './fixtures'

test('the home page renders the NHS.UK shell from the app itself', async ({ page, external }) => {
  const errors: string[] = []
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
  const res = await page.goto(url('/'))
  expect(res?.status()).toBe(200)
  await expect(page).toHaveTitle('National progress – Exemplar – NHS')
  await expect(page.locator('html')).toHaveAttribute('lang', 'en-GB')
  await expect(page.locator('.nhsuk-header__service-name')).toHaveText('Exemplar')
  await expect(page.getByRole('heading', { level: 1 })).toContainText('national progress')
  await expect(page.getByText('Demonstration data.')).toBeVisible()
  await expect(page.locator('main#maincontent')).toBeVisible()
  await expect(page.getByRole('link', { name: 'Accessibility statement' })).toBeVisible()
  // The design system's CSS is loaded: the header is NHS blue.
  const bg = await page.locator('header.nhsuk-header').evaluate((e) => getComputedStyle(e).backgroundColor)
  expect(bg).toBe('rgb(0, 94, 184)')
  // Published figures from the demo data set.
  await expect(page.getByText('Latest published figures: October to December 2014')).toBeVisible()
  expect(errors).toEqual([])
  void external
})

test('the skip link moves to the main content', async ({ page }) => {
  await page.goto(url('/'))
  await page.keyboard.press('Tab')
  const skip = page.getByRole('link', { name: 'Skip to main content' })
  await expect(skip).toBeFocused()
  await skip.press('Enter')
  await expect(page).toHaveURL(/#maincontent$/)
})

test('an unknown path is a styled 404', async ({ page }) => {
  const res = await page.goto(url('/no-such-page'))
  expect(res?.status()).toBe(404)
  await expect(page).toHaveTitle('Page not found – Exemplar – NHS')
  await expect(page.locator('.nhsuk-header')).toBeVisible()
})

test('the economies table ranks the published quarter and filters by region', async ({ page }) => {
  await page.goto(url('/economies'))
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Economies')
  const rows = page.locator('table.exemplar-ranking tbody tr')
  expect(await rows.count()).toBeGreaterThan(40)
  // Each cell's value follows the heading a phone's card shows beside it.
  await expect(rows.first().locator('td').first().locator('span').last()).toHaveText('1')
  await page.getByLabel('Region', { exact: true }).selectOption('London')
  await page.getByRole('button', { name: 'Show' }).click()
  await expect(page).toHaveURL(/region=London/)
  const regions = await page.locator('table.exemplar-ranking tbody tr td:nth-child(3) > span:last-child').allTextContents()
  expect(regions.length).toBe(5)
  expect(new Set(regions)).toEqual(new Set(['London']))
})

test('a revised quarter says so, with its reason', async ({ page }) => {
  await page.goto(url('/economies?as_of=2014-Q3'))
  await expect(page.getByText('Revised figures')).toBeVisible()
  await expect(page.getByText(/discharge summary figure/)).toBeVisible()
})

test('an unpublished quarter is not shown', async ({ page }) => {
  const res = await page.goto(url('/economies?as_of=2015-Q1'))
  expect(res?.status()).toBe(404)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('These figures are not published')
})

for (const path of PAGES) {
  test(`axe finds no WCAG 2.2 A or AA violation on ${path}`, async ({ page }) => {
    await page.goto(url(path))
    await axe(page)
  })
}
