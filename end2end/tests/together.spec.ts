import type { ChildProcess } from 'node:child_process'
import type { Browser } from '@playwright/test'
import { test, expect, axe, ownServer, signInAt, ADMIN } from './fixtures'

// Completing a quarter together: the demo's Salford shared 2015-Q1 out between its lead and
// its informatics lead, who drafted electronic discharge with a fall the framework warns of.
// On a server of its own, since the lead's sign-off and the submission change the data.
let server: ChildProcess
let base = ''
const LEAD = { email: 'submitter@salford.demo.nhs.uk', password: 'demo submitter salford' }
const INFORMATICS = { email: 'informatics@salford.demo.nhs.uk', password: 'demo informatics salford' }

test.beforeAll(async () => {
  ;({ base, server } = await ownServer('together'))
})

test.afterAll(() => {
  server?.kill('SIGTERM')
})

async function as(browser: Browser, who: { email: string; password: string }, js: boolean) {
  const context = await browser.newContext({ javaScriptEnabled: js })
  const page = await context.newPage()
  await signInAt(page, base, who.email, who.password)
  await expect(page).toHaveURL(/\/my-economy$/)
  return { context, page }
}

test('colleagues share a quarter, the lead signs it off, and the value goes with its reason', async ({ browser }) => {
  // Three people's sessions and an accessibility check of each page on the way.
  test.setTimeout(180_000)
  // Informatics, without JavaScript: what is theirs, the warning at the field, and waiting.
  const inf = await as(browser, INFORMATICS, false)
  let page = inf.page
  await expect(page.getByRole('heading', { name: 'Completing 2015-Q1 together' })).toBeVisible()
  const mine = page.getByTestId('assigned-to-you')
  await expect(mine).toContainText('Transfers of care')
  await expect(mine).toContainText('Records carrying the verified NHS number (%) (NHS-NUMBER)')
  await mine.getByRole('link', { name: 'Transfers of care' }).click()
  await expect(page).toHaveURL(/\/my-economy\/periods\/2015-Q1#theme-transfers$/)
  const warning = page.locator('#q-E-DISCHARGE').getByTestId('check-warning')
  await expect(warning).toContainText('Down 25.5 points from 100% in 2014-Q4.')
  await expect(page.getByLabel('Why is E-DISCHARGE this value?')).toHaveValue(/new discharge system/)
  await page.goto(`${base}/my-economy/check/2015-Q1`)
  await expect(page.getByTestId('waiting-signoff')).toContainText(
    "submitter@salford.demo.nhs.uk, your economy's lead, checks and signs off these values before they can be submitted.",
  )
  await expect(page.getByRole('button', { name: 'Submit the ticked values' })).toHaveCount(0)
  await expect(page.getByTestId('check-warning').first()).toContainText('Your reason: Salford Royal moved')

  // The lead, with JavaScript (and the pages checked for accessibility as they go): the
  // economy's page, the warning at the field, then the sign-off, whose box must be ticked.
  const lead = await as(browser, LEAD, true)
  page = lead.page
  await expect(page.getByRole('heading', { name: 'Completing 2015-Q1 together' })).toBeVisible()
  await axe(page)
  await page.goto(`${base}/my-economy/periods/2015-Q1#q-E-DISCHARGE`)
  await expect(page.locator('#q-E-DISCHARGE').getByTestId('check-warning')).toBeVisible()
  await axe(page)
  await page.goto(`${base}/my-economy/team`)
  await axe(page)
  await page.goto(`${base}/my-economy/check/2015-Q1`)
  await expect(page.getByRole('heading', { name: 'Sign off this quarter' })).toBeVisible()
  await axe(page)
  await page.getByRole('button', { name: 'Sign off' }).click()
  await expect(page.locator('.nhsuk-error-summary')).toContainText('Tick the box to confirm you have checked these values')
  await axe(page)
  await page.getByLabel('I have checked these values for 2015-Q1').check()
  await page.getByRole('button', { name: 'Sign off' }).click()
  await expect(page.getByText('You signed off 2 values of 2015-Q1.')).toBeVisible()
  await expect(page.getByTestId('signed-off')).toContainText('Signed off by submitter@salford.demo.nhs.uk')

  // The lead moves a theme to themselves on the assignments page.
  await page.goto(`${base}/my-economy/periods/2015-Q1/assignments`)
  await expect(page.getByRole('heading', { name: 'Who is completing 2015-Q1' })).toBeVisible()
  await axe(page)
  await page.getByLabel('Medicines management').selectOption(LEAD.email)
  await page.getByRole('button', { name: 'Save assignments' }).click()
  await expect(page.getByText(`Saved: Medicines management to ${LEAD.email}.`)).toBeVisible()
  await expect(page.getByRole('table', { name: 'Progress by theme' })).toContainText('Medicines management')
  await lead.context.close()

  // Informatics submits the signed-off discharge value, without JavaScript.
  page = inf.page
  await page.goto(`${base}/my-economy/check/2015-Q1`)
  await page.getByLabel(/^Discharge summaries sent electronically/).check()
  await page.getByRole('button', { name: 'Submit the ticked values' }).click()
  await expect(page).toHaveURL(/\/my-economy\/receipts\/EX-2015Q1-/)
  await inf.context.close()

  // The board's review queue shows the warning with the economy's reason.
  const board = await browser.newContext()
  const queue = await board.newPage()
  await signInAt(queue, base, ADMIN.email, ADMIN.password, ADMIN.key)
  await queue.goto(`${base}/assess?economy=salford-integrated-care&criterion=E-DISCHARGE`)
  const check = queue.getByTestId('queue-check').first()
  await expect(check).toContainText('Down 25.5 points from 100% in 2014-Q4.')
  await expect(check).toContainText("The economy's reason: Salford Royal moved to a new discharge system on 2 March.")
  await axe(queue)
  await board.close()
})

test('the team page names the lead, at a phone width, without JavaScript', async ({ browser }) => {
  const { context, page } = await as(browser, LEAD, false)
  await page.setViewportSize({ width: 390, height: 844 })
  await page.goto(`${base}/my-economy/team`)
  await expect(page.getByText("submitter@salford.demo.nhs.uk is your economy's lead")).toBeVisible()
  await page.getByLabel('Lead', { exact: true }).selectOption('')
  await page.getByRole('button', { name: 'Change the lead' }).click()
  await expect(page.locator('.nhsuk-error-summary')).toContainText('Select the colleague who signs each quarter off')
  await page.getByLabel('Lead', { exact: true }).selectOption(INFORMATICS.email)
  await page.getByRole('button', { name: 'Change the lead' }).click()
  await expect(page.getByText(`${INFORMATICS.email} is now your economy's lead`)).toBeVisible()
  await context.close()
})
