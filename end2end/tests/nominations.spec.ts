import { test, expect, url, axe, ADMIN, freshCode } from './fixtures'

test('a newcomer nominates an economy, an admin accepts it, and its lead signs in', async ({ page, browser }) => {
  await page.goto(url('/nominate'))
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Nominate your local health economy')
  await page.getByLabel('Name of the local health economy').fill('Calderdale health and care partnership')
  await page.getByLabel('Region').selectOption('Yorkshire and the Humber')
  await page.locator('#org-1-name').fill('Calderdale and Huddersfield NHS Foundation Trust')
  await page.locator('#org-1-code').fill('RWY')
  await page.locator('#org-1-kind').selectOption('acute')
  await page.locator('#org-2-name').fill('Calderdale Council')
  await page.locator('#org-2-kind').selectOption('social-care')
  await page.getByLabel('Full name').fill('Sam Okoro')
  await page.getByLabel('Email address').fill('sam.okoro@calderdale.demo.nhs.uk')
  await page.getByLabel('Job title').fill('Director of digital')
  await page.getByLabel('Your vision').fill('A single shared record for every resident.')
  await page.getByLabel('What is already in place').fill('Operational EPR since 2013; GP2GP in all practices.')
  await page.getByLabel('Benefits you expect for patients').fill('No repeated histories; faster discharge.')
  await page.getByRole('button', { name: 'Send nomination' }).click()
  await expect(page.getByRole('heading', { name: 'Nomination received' })).toBeVisible()
  await axe(page)

  // The admin: password, then a one-time code (the next step's: a code works once).
  const adminContext = await browser.newContext()
  const admin = await adminContext.newPage()
  await admin.goto(url('/admin/nominations'))
  await admin.getByLabel('Email address').fill(ADMIN.email)
  await admin.getByLabel('Password', { exact: true }).fill(ADMIN.password)
  await admin.getByRole('button', { name: 'Sign in' }).click()
  await admin.getByLabel('Security code').fill(await freshCode(ADMIN.key))
  await admin.getByRole('button', { name: 'Continue' }).click()
  await expect(admin).toHaveURL(/\/admin\/nominations$/)
  await expect(admin.getByRole('heading', { name: 'Calderdale health and care partnership' })).toBeVisible()
  await axe(admin)
  await admin.getByRole('button', { name: 'Accept Calderdale health and care partnership as a candidate' }).click()
  await expect(admin.getByText('Done: accepted the nomination of Calderdale health and care partnership.')).toBeVisible()
  // The lead's link to set a password is in the outbox.
  await admin.goto(url('/admin/users'))
  const message = await admin.getByRole('cell', { name: /Set a password for your account/ }).first().textContent()
  const link = message!.match(/https?:\/\/\S+\/reset-password\?token=[0-9a-f]+/)![0]
  await adminContext.close()

  await page.goto(link)
  await page.getByLabel('New password', { exact: true }).fill('calder valley kettle')
  await page.getByLabel('Confirm the new password').fill('calder valley kettle')
  await page.getByRole('button', { name: 'Set password' }).click()
  await expect(page.getByText('Your password has been set')).toBeVisible()
  await page.getByLabel('Email address').fill('sam.okoro@calderdale.demo.nhs.uk')
  await page.getByLabel('Password', { exact: true }).fill('calder valley kettle')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page).toHaveURL(/\/my-economy$/)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Calderdale health and care partnership')
  await expect(page.getByText('Your nomination has been accepted')).toBeVisible()
  // A candidate now, in the API.
  const api = await page.request.get(url('/api/v1/economies'))
  expect(await api.text()).toContain('calderdale-health-and-care-partnership')
  const overall = page.locator('.nhsuk-summary-list__row', { hasText: /^Overall score/ }).locator('dd')
  await expect(overall).toHaveText('0.0')

  // The quarter being reported: the what-if panel follows the answers as they are given.
  await page.getByRole('link', { name: /Report January to March 2015/ }).click()
  await expect(page).toHaveURL(/\/my-economy\/periods\/2015-Q1$/)
  await expect(page.locator('.exemplar-what-if')).toHaveAttribute('data-hydrated', 'true')
  const whatIf = page.getByTestId('what-if').getByRole('row').first().getByRole('cell')
  await expect(whatIf.nth(1)).toHaveText('0.0')
  await page.locator('#v-CLINICAL-WIFI').check()
  await expect(whatIf.nth(1)).not.toHaveText('0.0')
  await page.locator('#v-EPR-COMMUNITY').fill('80')
  await page.locator('#v-EPR-ACUTE').check()
  await page.locator('#d-EPR-ACUTE').fill('2014-03-20')
  const withAnswers = await whatIf.nth(1).textContent()
  expect(Number(withAnswers)).toBeGreaterThan(0)
  await axe(page)
  // A gate criterion needs a document: refused without one, accepted with it.
  await page.getByRole('button', { name: 'Submit values' }).click()
  await expect(page.locator('.nhsuk-error-summary').getByRole('link', { name: /needs a document as evidence/ })).toBeVisible()
  await expect(page.locator('#v-EPR-COMMUNITY')).toHaveValue('80')
  await axe(page)
  await page.locator('#file-EPR-ACUTE').setInputFiles({
    name: 'Calderdale EPR go-live.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'),
  })
  await page.getByRole('button', { name: 'Submit values' }).click()
  await expect(page.getByText(/Submitted 3 value\(s\) for 2015-Q1, and 1 piece\(s\) of evidence/)).toBeVisible()
  await expect(page.getByRole('link', { name: 'Calderdale EPR go-live.pdf' })).toBeVisible()
  await page.goto(url('/my-economy'))
  await expect(overall).toHaveText(withAnswers!)

  // Its other pages pass axe too.
  for (const path of ['/my-economy/upload', '/my-economy/organisations', '/my-economy/team']) {
    await page.goto(url(path))
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible()
    await axe(page)
  }
  await expect(page.getByText('sam.okoro@calderdale.demo.nhs.uk')).toBeVisible()
})

test('without JavaScript a nomination with problems shows the error summary', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false })
  const page = await context.newPage()
  await page.goto(url('/nominate'))
  await page.getByLabel('Name of the local health economy').fill('Half-filled economy')
  await page.getByRole('button', { name: 'Send nomination' }).click()
  await expect(page).toHaveTitle('Error: Nominate your local health economy – Exemplar – NHS')
  const summary = page.locator('.nhsuk-error-summary')
  await expect(summary.getByRole('link', { name: 'Select the region of your local health economy' })).toBeVisible()
  await expect(summary.getByRole('link', { name: 'Enter at least one member organisation' })).toBeVisible()
  await expect(page.getByLabel('Name of the local health economy')).toHaveValue('Half-filled economy')
  await context.close()
})
