import { test, expect, url, axe } from './fixtures'

const SUBMITTER = { email: 'submitter@leeds.demo.nhs.uk', password: 'demo submitter leeds' }
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n')

test('without JavaScript a submitter fills a quarter with evidence, submits and sees the scores change', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false })
  const page = await context.newPage()
  await page.goto(url('/sign-in'))
  await page.getByLabel('Email address').fill(SUBMITTER.email)
  await page.getByLabel('Password', { exact: true }).fill(SUBMITTER.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page).toHaveURL(/\/my-economy$/)
  const overall = page.locator('.nhsuk-summary-list__row', { hasText: /^Overall score/ }).locator('dd')
  const before = await overall.textContent()
  // The demo left drafts waiting for 2015-Q1.
  await page.getByRole('link', { name: '2015-Q1: 2 draft values' }).click()
  await expect(page).toHaveURL(/\/my-economy\/periods\/2015-Q1$/)
  await expect(page.getByText('Leeds EPMA roll-out report, March 2015.pdf')).toBeVisible()
  await expect(page.locator('#v-EPMA')).toHaveValue('78')

  // A problem: the error summary, the message by the field, the answers kept.
  await page.locator('#v-E-DISCHARGE').fill('101')
  await page.getByRole('button', { name: 'Continue to check your answers' }).click()
  await expect(page).toHaveTitle(/^Error: January to March 2015/)
  const summary = page.locator('.nhsuk-error-summary')
  await expect(summary.getByRole('link', { name: /must be a percentage from 0 to 100/ })).toHaveAttribute('href', '#v-E-DISCHARGE')
  await expect(page.locator('#v-E-DISCHARGE-error')).toContainText('must be a percentage from 0 to 100')
  await expect(page.locator('#v-E-DISCHARGE')).toHaveValue('101')

  // Corrected, with its document: then every draft is shown before anything is submitted.
  await page.locator('#v-E-DISCHARGE').fill('99')
  await page.locator('#file-E-DISCHARGE').setInputFiles({ name: 'Leeds discharge audit.pdf', mimeType: 'application/pdf', buffer: PDF })
  await page.getByRole('button', { name: 'Continue to check your answers' }).click()
  await expect(page).toHaveURL(/\/my-economy\/check\/2015-Q1\?changed=E-DISCHARGE$/)
  await expect(page).toHaveTitle(/^Check your answers before submitting/)
  // The value changed just now is ticked; the drafts left from before are not.
  await expect(page.locator('#code-E-DISCHARGE')).toBeChecked()
  await expect(page.locator('#code-EPMA')).not.toBeChecked()
  await expect(page.locator('#code-PATIENT-ONLINE')).not.toBeChecked()
  await expect(page.locator('#code-E-DISCHARGE-hint')).toContainText('Leeds discharge audit.pdf')
  // The submitter confirms EPMA too, and leaves the old online-access draft alone.
  await page.locator('#code-EPMA').check()
  await page.getByRole('button', { name: 'Submit the ticked values' }).click()
  await expect(page).toHaveURL(/\/my-economy\/receipts\/EX-2015Q1-\d{4}-\d{3}$/)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('2 values submitted')
  await expect(page.locator('.nhsuk-panel__body strong')).toHaveText(/^EX-2015Q1-/)
  await expect(page.getByRole('heading', { name: 'What happens next' })).toBeVisible()
  await expect(page.locator('.nhsuk-summary-list__value', { hasText: /^99%$/ })).toBeVisible()
  await expect(page.getByText('Leeds discharge audit.pdf')).toBeVisible()
  const download = page.waitForEvent('download')
  await page.getByRole('link', { name: /download this receipt/ }).click()
  expect((await download).suggestedFilename()).toMatch(/^exemplar-receipt-EX-2015Q1-.*\.csv$/)
  await page.goto(url('/my-economy'))
  await expect(overall).not.toHaveText(before!)
  // Only the draft not ticked is left.
  await expect(page.getByRole('link', { name: '2015-Q1: 1 draft value' })).toBeVisible()

  // The upload previews before storing, without JavaScript too.
  await page.goto(url('/my-economy/upload'))
  await page.getByLabel('CSV file').setInputFiles({
    name: 'leeds.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('economy,period,criterion,value,status\nleeds-health-and-care-economy,2015-Q1,EPS-R2,81,\nleeds,2015-Q1,EPS-R2,82,verified\n'),
  })
  await page.getByRole('button', { name: 'Check the file' }).click()
  await expect(page.locator('.nhsuk-error-summary')).toContainText('line 3')
  await page.getByLabel('CSV file').setInputFiles({
    name: 'leeds.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('economy,period,criterion,value,status\nleeds-health-and-care-economy,2015-Q1,EPS-R2,81,\n'),
  })
  await page.getByRole('button', { name: 'Check the file' }).click()
  await expect(page.getByTestId('preview-counts')).toContainText('1 row:')
  await page.getByRole('button', { name: 'Store as drafts' }).click()
  await expect(page).toHaveURL(/\/my-economy\/periods\/2015-Q1$/)
  await expect(page.getByText(/Stored 1 value as drafts for 2015-Q1/)).toBeVisible()
  await expect(page.locator('#v-EPS-R2')).toHaveValue('81')
  await context.close()
})

test("a submitter records a trust's EPR go-live and the public register follows", async ({ page }) => {
  await page.goto(url('/sign-in'))
  await page.getByLabel('Email address').fill(SUBMITTER.email)
  await page.getByLabel('Password', { exact: true }).fill(SUBMITTER.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page).toHaveURL(/\/my-economy$/)
  await page.goto(url('/my-economy/organisations'))
  await expect(page.getByRole('heading', { name: "Your trusts' electronic patient records" })).toBeVisible()
  await axe(page)
  const select = page.locator('select[id^="status-"]').first()
  const code = (await select.getAttribute('id'))!.replace('status-', '')
  // A future go-live is refused, by the field.
  await select.selectOption('operational')
  await page.locator(`#date-${code}-day`).fill('1')
  await page.locator(`#date-${code}-month`).fill('5')
  await page.locator(`#date-${code}-year`).fill('2015')
  await page.getByRole('button', { name: /^Update/ }).first().click()
  await expect(page.locator('.nhsuk-error-summary')).toContainText('cannot be after today')
  await page.locator(`#status-${code}`).selectOption('operational')
  await page.locator(`#date-${code}-day`).fill('14')
  await page.locator(`#date-${code}-month`).fill('4')
  await page.locator(`#date-${code}-year`).fill('2015')
  await page.locator(`#file-${code}`).setInputFiles({ name: 'EPR go-live assurance.pdf', mimeType: 'application/pdf', buffer: PDF })
  await page.getByRole('button', { name: /^Update/ }).first().click()
  await expect(page.getByText(`Done: set trust ${code}'s EPR to operational (2015-04-14) with a document as evidence.`)).toBeVisible()
  await expect(page.getByRole('link', { name: 'EPR go-live assurance.pdf', exact: true })).toHaveAttribute('href', `/my-economy/trusts/${code}/evidence`)
  await page.goto(url(`/trusts?q=${code}`))
  await expect(page.getByText('Operational since 2015-04-14')).toBeVisible()
  await axe(page)
})
