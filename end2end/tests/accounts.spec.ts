import { test, expect, url, axe, freshCode, ADMIN } from './fixtures'

// The demo accounts (app/src/demo.rs), shown on the demo's sign-in page.
const SUBMITTER = { email: 'submitter@leeds.demo.nhs.uk', password: 'demo submitter leeds' }

test('a submitter signs in, sees their account, and signs out', async ({ page }) => {
  await page.goto(url('/sign-in'))
  await expect(page.getByRole('heading', { name: 'Demonstration accounts' })).toBeVisible()
  await page.getByLabel('Email address').fill(SUBMITTER.email)
  await page.getByLabel('Password', { exact: true }).fill(SUBMITTER.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  // A submitter's home: their economy, provisional figures and every criterion.
  await expect(page).toHaveURL(/\/my-economy$/)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Leeds health and care economy')
  await expect(page.getByText(/Provisional figures for January to March 2015/)).toBeVisible()
  await expect(page.getByRole('table', { name: 'Every criterion' })).toBeVisible()
  await axe(page)
  await page.getByRole('link', { name: 'Your account' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your account')
  await expect(page.getByText('Submitter for Leeds health and care economy')).toBeVisible()
  await expect(page.getByRole('link', { name: 'Your account' })).toBeVisible()
  await axe(page)
  // Board pages are not theirs.
  const res = await page.goto(url('/admin/users'))
  expect(res?.status()).toBe(403)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('You do not have access to this page')
  await page.goto(url('/account'))
  await page.getByRole('button', { name: 'Sign out' }).click()
  await expect(page).toHaveURL(url('/'))
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible()
  const again = await page.goto(url('/account'))
  expect(again?.url()).toContain('/sign-in?next=/account')
})

for (const js of [true, false]) {
  test(`a wrong password shows the error summary and the field message (JavaScript ${js ? 'on' : 'off'})`, async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: js })
    const page = await context.newPage()
    await page.goto(url('/sign-in'))
    await page.getByLabel('Email address').fill(SUBMITTER.email)
    await page.getByLabel('Password', { exact: true }).fill('not the password')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expect(page).toHaveTitle('Error: Sign in – Exemplar – NHS')
    const summary = page.locator('.nhsuk-error-summary')
    await expect(summary).toContainText('There is a problem')
    await expect(summary.getByRole('link')).toHaveText(/The email address or password is not right/)
    await expect(page.locator('#password-error')).toContainText('The email address or password is not right')
    await expect(page.getByLabel('Email address')).toHaveValue(SUBMITTER.email)
    await summary.getByRole('link').click()
    if (js) {
      // The design system's script moves focus to the field itself.
      await expect(page.locator('#password')).toBeFocused()
      await axe(page)
    } else {
      await expect(page).toHaveURL(/#password$/)
    }
    await context.close()
  })
}

test('an admin signs in with a one-time code and sees users and the audit log', async ({ page }) => {
  await page.goto(url('/admin/users'))
  await expect(page).toHaveURL(/\/sign-in\?next=\/admin\/users$/)
  await page.getByLabel('Email address').fill(ADMIN.email)
  await page.getByLabel('Password', { exact: true }).fill(ADMIN.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page).toHaveURL(/\/sign-in\/code$/)
  await axe(page)
  await page.getByLabel('Security code').fill('000000')
  await page.getByRole('button', { name: 'Continue' }).click()
  await expect(page.locator('#code-error')).toBeVisible()
  await page.getByLabel('Security code').fill(await freshCode(ADMIN.key))
  await page.getByRole('button', { name: 'Continue' }).click()
  await expect(page).toHaveURL(/\/admin\/users$/)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Users')
  await expect(page.getByRole('row', { name: /^submitter@leeds\.demo\.nhs\.uk submitter/ })).toBeVisible()
  await axe(page)
  await page.getByLabel('Email address').fill('new.assessor@board.demo.nhs.uk')
  await page.getByLabel(/^Assessor/).check()
  await page.getByRole('button', { name: 'Send invitation' }).click()
  await expect(page.getByText('new.assessor@board.demo.nhs.uk has been invited as an assessor.')).toBeVisible()
  // The header may fold its last links into a menu on narrow screens: go straight there.
  await page.goto(url('/admin/audit'))
  await expect(page.getByText(/The audit log is intact/)).toBeVisible()
  await expect(page.getByRole('cell', { name: /invited new\.assessor@board\.demo\.nhs\.uk/ })).toBeVisible()
  await axe(page)
})

test('without JavaScript a submitter reads their economy and their account form shows its problems', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false })
  const page = await context.newPage()
  await page.goto(url('/sign-in'))
  await page.getByLabel('Email address').fill(SUBMITTER.email)
  await page.getByLabel('Password', { exact: true }).fill(SUBMITTER.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page).toHaveURL(/\/my-economy$/)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Leeds health and care economy')
  await expect(page.getByRole('table', { name: 'Every criterion' })).toBeVisible()
  await page.goto(url('/account'))
  await page.locator('#change-password ~ form').first().getByLabel('Current password').fill('not my password')
  await page.getByRole('button', { name: 'Change password' }).click()
  await expect(page).toHaveTitle('Error: Your account – Exemplar – NHS')
  await expect(page.locator('.nhsuk-error-summary')).toContainText('Your current password is not right')
  await context.close()
})
