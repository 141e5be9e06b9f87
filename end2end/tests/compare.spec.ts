import type { Page } from '@playwright/test'
import { test, expect, url, axe, ASSESSOR, signInStaff } from './fixtures'

// Comparing candidates: one weighted result behind the order and the table, the weights in
// the address (so a weighted view can be shared and opened again), and the error summary for
// a single economy or a weight that will not read, with and without JavaScript.

const LEEDS = 'leeds-health-and-care-economy'
const SALFORD = 'salford-integrated-care'
const COMPARE = `/assess/compare?e=${LEEDS}&e=${SALFORD}`

/** The order beside the table, as { name: figure }. */
async function order(page: Page): Promise<Record<string, string>> {
  const items = await page.getByTestId('sensitivity').locator('li').allTextContents()
  return Object.fromEntries(items.map((t) => t.trim().split(/: /) as [string, string]))
}

/** The table's "Overall with the weights above" row, as { name: figure }. */
async function weightedRow(page: Page): Promise<Record<string, string>> {
  const names = (await page.locator('table thead th').allTextContents()).slice(1).map((t) => t.trim())
  const cells = await page
    .getByRole('row', { name: /^Overall with the weights above/ })
    .locator('td')
    .allTextContents()
  return Object.fromEntries(names.map((n, i) => [n, cells[i].trim()]))
}

/** The order and the table agree, and are returned for comparing with another page. */
async function agreeing(page: Page) {
  const listed = await order(page)
  const table = await weightedRow(page)
  expect(Object.keys(listed).length).toBe(2)
  expect(table).toEqual(listed)
  return listed
}

test('with JavaScript, the order, the table and the address follow a weight as it changes', async ({ page }) => {
  // A long journey (sign-in, hydration, five weight changes, two axe checks): more time
  // than the default on a busy two-core machine.
  test.slow()
  await signInStaff(page, ASSESSOR, COMPARE)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Compare candidates')
  await expect(page.locator('.exemplar-sensitivity')).toHaveAttribute('data-hydrated', 'true', { timeout: 15_000 })
  await expect(page.getByRole('heading', { name: 'Their order with the weights above' })).toBeVisible()
  await expect(page.getByText('weights below')).toHaveCount(0)
  const before = await agreeing(page)
  await axe(page)

  // A weight changes: the order and the table move together, and the address carries it.
  await page.locator('#w-records').fill('20')
  await expect(page).toHaveURL(/[?&]w-records=20(&|$)/)
  await expect.poll(async () => JSON.stringify(await order(page))).not.toBe(JSON.stringify(before))
  const after = await agreeing(page)
  await expect(page.getByRole('link', { name: 'Download this comparison (CSV)' })).toHaveAttribute('href', /w-records=20/)
  await axe(page)

  // The address opened afresh gives the same figures, from the server.
  const shared = page.url()
  const fresh = await page.context().newPage()
  await fresh.goto(shared)
  await expect(fresh.locator('#w-records')).toHaveValue('20')
  expect(await agreeing(fresh)).toEqual(after)
  await fresh.close()

  // A weight that will not read: the figures stay with the last weights, and say so.
  await page.locator('#w-records').fill('abc')
  await expect(page.getByTestId('weights-problem')).toHaveText(
    'Weight for Records, assessments and plans must be a number, like 2. The order and the table still use the weights before this change.',
  )
  expect(page.url()).toBe(shared)
  expect(await agreeing(page)).toEqual(after)
  // Compare sends it: the error summary at the top and the message on the field.
  await page.getByRole('button', { name: 'Compare' }).click()
  await expect(page).toHaveTitle(/^Error: /)
  const summary = page.locator('.nhsuk-error-summary')
  await expect(summary.getByRole('link', { name: 'Weight for Records, assessments and plans must be a number, like 2' })).toHaveAttribute('href', '#w-records')
  await expect(page.locator('#w-records-error')).toContainText('must be a number, like 2')
  await expect(page.locator('#w-records')).toHaveValue('abc')
  await expect(page.locator('.exemplar-sensitivity')).toHaveCount(0)
  await axe(page)

  // One economy: the summary, the field's message, the choice kept.
  await page.locator('#w-records').fill('3')
  await page.locator(`input[name="e"][value="${SALFORD}"]`).uncheck()
  await page.getByRole('button', { name: 'Compare' }).click()
  await expect(page).toHaveTitle(/^Error: /)
  await expect(summary).toBeFocused()
  // Its link goes to the first box of the question.
  await summary.getByRole('link', { name: 'Choose two to six candidate economies to compare' }).click()
  await expect(page.locator('#e-0')).toBeFocused()
  await expect(page.locator('#e-error')).toContainText('Choose two to six candidate economies to compare')
  await expect(page.locator(`input[name="e"][value="${LEEDS}"]`)).toBeChecked()
  await expect(page.locator(`input[name="e"][value="${SALFORD}"]`)).not.toBeChecked()
  await axe(page)
})

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false })

  test('the form gives the weighted view in its address, and the same errors', async ({ page }) => {
    await signInStaff(page, ASSESSOR, '/assess/compare')
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Compare candidates')
    await expect(page.locator('.nhsuk-error-summary')).toHaveCount(0)

    // One economy first.
    await page.locator(`input[name="e"][value="${LEEDS}"]`).check()
    await page.getByRole('button', { name: 'Compare' }).click()
    await expect(page).toHaveTitle(/^Error: /)
    const summary = page.locator('.nhsuk-error-summary')
    await expect(summary.getByRole('link', { name: 'Choose two to six candidate economies to compare' })).toHaveAttribute('href', '#e-0')
    await expect(page.locator('#e-error')).toContainText('Choose two to six candidate economies to compare')
    await expect(page.locator(`input[name="e"][value="${LEEDS}"]`)).toBeChecked()

    // Then two, with a weight changed: the address carries it.
    await page.locator(`input[name="e"][value="${SALFORD}"]`).check()
    await page.locator('#w-records').fill('20')
    await page.getByRole('button', { name: 'Compare' }).click()
    await expect(page).toHaveURL(/[?&]w-records=20(&|$)/)
    await expect(page).toHaveTitle(/^Compare candidates/)
    await expect(page.locator('.exemplar-sensitivity')).toHaveAttribute('data-hydrated', 'false')
    const weighted = await agreeing(page)

    // The same address opened afresh shows the same figures.
    const other = await page.context().newPage()
    await other.goto(page.url())
    await expect(other.locator('#w-records')).toHaveValue('20')
    expect(await agreeing(other)).toEqual(weighted)
    await other.close()

    // And with the framework's weights the figures are different.
    await page.goto(url(COMPARE))
    expect(await agreeing(page)).not.toEqual(weighted)
  })
})
