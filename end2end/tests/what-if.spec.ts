import { test, expect, url, axe, signInSubmitter } from './fixtures'
import type { Page } from '@playwright/test'

// The quarter form's what-if panel (issue 18, item 5): the effect of the values changed on
// the page alone, reachable on a phone, and worked out by the server without JavaScript.
// Nothing here is saved, so the demo's data is left as it was.
const FORM = '/my-economy/periods/2015-Q1'

/** The panel's row for a score: [now, if you submit your changes, the change in words]. */
function row(page: Page, label: string) {
  return page
    .getByTestId('what-if')
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: label, exact: true }) })
    .getByRole('cell')
}

test('with JavaScript the panel follows a changed value, and on a phone the summary links to it', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } })
  const page = await context.newPage()
  await signInSubmitter(page)
  await page.goto(url(FORM))
  await expect(page.locator('.exemplar-what-if')).toHaveAttribute('data-hydrated', 'true')
  // Opened with the demo's drafts in the form: they are not changes made here.
  const overall = row(page, 'Overall')
  const now = await overall.nth(0).textContent()
  const stored = await page.locator('#v-EPMA').inputValue()
  await expect(overall.nth(1)).toHaveText(now!)
  await expect(overall.nth(2)).toHaveText('No change')
  const summary = page.getByTestId('what-if-summary')
  await expect(summary).toContainText('You have not changed any scored values on this page')

  // Electronic prescribing on no beds (Leeds's last submitted figure is over the target):
  // the overall and its theme go down, in words.
  await page.locator('#v-EPMA').fill('0')
  await expect(overall.nth(2)).toHaveText(/^Down \d+\.\d$/)
  expect(Number(await overall.nth(1).textContent())).toBeLessThan(Number(now))
  await expect(overall.nth(0)).toHaveText(now!)
  await expect(row(page, 'Medicines management').nth(2)).toHaveText(/^Down /)
  await expect(summary).toContainText('If you submit the 1 value you changed on this page, your overall score would go down by')

  // Far down the form the summary is still on the screen, and its link reaches the panel.
  await page.locator('#v-REPEAT-STORY').scrollIntoViewIfNeeded()
  await expect(summary).toBeInViewport()
  await page.getByRole('link', { name: 'See the effect of your changes' }).click()
  await expect(page).toHaveURL(/#what-if$/)
  await expect(page.getByRole('heading', { name: 'The effect of your changes' })).toBeInViewport()
  await axe(page)

  // Put back as it was: no change again.
  await page.locator('#v-EPMA').fill(stored)
  await expect(overall.nth(2)).toHaveText('No change')
  await context.close()
})

test('with JavaScript the panel sits beside the form on a wide screen', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
  const page = await context.newPage()
  await signInSubmitter(page)
  await page.goto(url(FORM))
  await expect(page.locator('.exemplar-what-if')).toHaveAttribute('data-hydrated', 'true')
  await expect(page.getByTestId('what-if-summary')).toBeHidden()
  await page.locator('#v-EPMA').fill('0')
  await expect(row(page, 'Overall').nth(2)).toHaveText(/^Down /)
  await expect(page.getByRole('heading', { name: 'The effect of your changes' })).toBeInViewport()
  await axe(page)
  await context.close()
})

test('without JavaScript Recalculate shows the fall and keeps the value typed, saving nothing', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } })
  const page = await context.newPage()
  await signInSubmitter(page)
  await page.goto(url(FORM))
  const overall = row(page, 'Overall')
  const now = await overall.nth(0).textContent()
  await expect(overall.nth(2)).toHaveText('No change')
  const stored = await page.locator('#v-EPMA').inputValue()

  await page.locator('#v-EPMA').fill('0')
  await page.getByRole('button', { name: 'Recalculate' }).click()
  await expect(page).toHaveURL(new RegExp(`${FORM}$`))
  await expect(page.getByText('Recalculated with the values you typed. Nothing has been saved.')).toBeVisible()
  await expect(page.locator('#v-EPMA')).toHaveValue('0')
  await expect(overall.nth(0)).toHaveText(now!)
  await expect(overall.nth(2)).toHaveText(/^Down \d+\.\d$/)
  expect(Number(await overall.nth(1).textContent())).toBeLessThan(Number(now))
  await expect(row(page, 'Medicines management').nth(2)).toHaveText(/^Down /)
  await expect(page.getByTestId('what-if-summary')).toContainText('If you submit the 1 value you changed on this page, your overall score would go down by')
  // The link to the panel works without JavaScript too.
  await page.getByRole('link', { name: 'See the effect of your changes' }).click()
  await expect(page.getByRole('heading', { name: 'The effect of your changes' })).toBeInViewport()

  // Nothing was saved: the form opens again as stored.
  await page.goto(url(FORM))
  await expect(page.locator('#v-EPMA')).toHaveValue(stored)
  await expect(overall.nth(2)).toHaveText('No change')
  await context.close()
})
