import { test, expect, url, axe, ASSESSOR, signInStaff } from './fixtures'
import type { Page } from '@playwright/test'

// The review queue fits the page: each value's Verify and Return are on screen at 1280 px,
// nothing spills sideways on a phone, the quarter being reported comes first, the queue
// comes a page at a time, and a review can be undone for a minute.

async function actionsInView(page: Page) {
  const verify = page.locator('.exemplar-review').first().getByRole('button', { name: /^Verify/ })
  const box = await verify.boundingBox()
  expect(box).not.toBeNull()
  const width = page.viewportSize()!.width
  expect(box!.x + box!.width).toBeLessThanOrEqual(width)
  const scroll = await page.evaluate(() => document.documentElement.scrollWidth)
  expect(scroll).toBeLessThanOrEqual(width)
}

for (const js of [true, false]) {
  test(`the queue's actions are at hand, a page at a time, and a review is undone (JavaScript ${js ? 'on' : 'off'})`, async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: js, viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    await signInStaff(page, ASSESSOR, '/assess')
    await expect(page).toHaveURL(/\/assess$/)
    await expect(page.getByText(/the quarter being reported, and come first/)).toBeVisible()
    await expect(page.locator('.exemplar-queue tbody tr').first()).toContainText('Being reported')
    await expect(page.getByText(/^Showing 1 to 20 of [\d,]+ values$/)).toBeVisible()
    await actionsInView(page)
    if (js) await axe(page)

    // The next page, then back to the first.
    await page.getByRole('link', { name: /Next/ }).click()
    await expect(page).toHaveURL(/page=2/)
    await expect(page.getByText(/^Showing 21 to 40 of/)).toBeVisible()
    await page.getByRole('link', { name: /Previous/ }).click()

    // Verify one, see it named, undo it.
    const first = page.locator('.exemplar-review').first()
    const label = (await first.getByRole('button', { name: /^Verify/ }).textContent())!.replace(/^Verify\s*/, '')
    await first.getByRole('button', { name: /^Verify/ }).click()
    await expect(page.locator('.nhsuk-notification-banner--success')).toContainText('Verified 1 value.')
    await expect(page.getByTestId('undo')).toBeVisible()
    if (js) await axe(page)
    await page.getByTestId('undo').getByRole('button', { name: 'Undo' }).click()
    // Undo takes back every review this person made in the last minute: this one, and any an
    // earlier test made as the same assessor within it.
    await expect(page.locator('.nhsuk-notification-banner--success')).toContainText(/Undone: (1 value is|\d+ values are) waiting for review again/)
    await expect(page.getByTestId('undo')).toHaveCount(0)
    expect(label.length).toBeGreaterThan(0)

    // The overdue plans have their own tab.
    await page.getByRole('link', { name: /^Overdue plans/ }).click()
    await expect(page).toHaveURL(/tab=follow-ups/)
    await expect(page.getByTestId('follow-ups')).toBeVisible()
    if (js) await axe(page)

    // On a phone, nothing spills sideways and the actions are reachable.
    await page.setViewportSize({ width: 390, height: 844 })
    await page.goto(url('/assess'))
    await actionsInView(page)
    await context.close()
  })
}

test('an assessor takes an economy and verifies its waiting quarter from its page', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false })
  const page = await context.newPage()
  await signInStaff(page, ASSESSOR, '/assess/economies/salford-integrated-care')
  await page.getByRole('button', { name: /^Assign to me/ }).click()
  await expect(page.locator('.nhsuk-notification-banner--success')).toContainText('is assigned to you.')
  await page.goto(url('/assess?mine=yes'))
  await expect(page.getByLabel('Only economies assigned to me')).toBeChecked()
  await expect(page.locator('.exemplar-queue tbody tr').first()).toContainText(/Salford|Leeds/)
  await page.goto(url('/assess/economies/salford-integrated-care'))
  const verifyAll = page.getByRole('button', { name: /^Verify all \d+ waiting values? for / }).first()
  await verifyAll.click()
  await expect(page.locator('.nhsuk-notification-banner--success')).toContainText(/Verified \d+ values?\./)
  await page.getByRole('button', { name: /^Unassign me/ }).click()
  await expect(page.locator('.nhsuk-notification-banner--success')).toContainText('is assigned to nobody.')
  await context.close()
})
