import { test, expect, url, axe, ADMIN, freshCode, sentLink, totp } from './fixtures'

test('an invited assessor gets the link by mail alone, and guessed codes end a sign-in with a clear message', async ({ page, browser }) => {
  // The admin invites: the page says who, never the link.
  const adminContext = await browser.newContext()
  const admin = await adminContext.newPage()
  await admin.goto(url('/admin/users'))
  await admin.getByLabel('Email address').fill(ADMIN.email)
  await admin.getByLabel('Password', { exact: true }).fill(ADMIN.password)
  await admin.getByRole('button', { name: 'Sign in' }).click()
  await admin.getByLabel('Security code').fill(await freshCode(ADMIN.key))
  await admin.getByRole('button', { name: 'Continue' }).click()
  await admin.getByLabel('Email address').fill('guessed.assessor@board.demo.nhs.uk')
  await admin.getByLabel(/^Assessor/).check()
  await admin.getByRole('button', { name: 'Send invitation' }).click()
  await expect(admin.getByText('We have sent them a link to accept')).toBeVisible()
  expect(await admin.content()).not.toMatch(/\/invitations\/[0-9a-f]{64}/)
  await axe(admin)
  await adminContext.close()

  // The invitee follows the link from their message and sets up their app.
  const link = await sentLink('guessed.assessor@board.demo.nhs.uk', /https?:\/\/\S+\/invitations\/[0-9a-f]{64}/)
  const res = await page.goto(link)
  expect(res!.headers()['cache-control']).toBe('no-store')
  await expect(page.getByRole('heading', { name: 'Accept your invitation' })).toBeVisible()
  const key = await page.locator('input[name="secret"]').getAttribute('value')
  await page.getByLabel('Choose a password').fill('guessed kettle orbit')
  await page.getByLabel('Confirm the password').fill('guessed kettle orbit')
  await page.getByLabel('Code from your authenticator app').fill(totp(key!, Date.now() / 1000))
  await page.getByRole('button', { name: 'Create my account' }).click()
  await expect(page.getByRole('heading', { name: 'Your account is ready' })).toBeVisible()

  // Someone with the password but not the app: the third wrong code ends the sign-in.
  const thief = await (await browser.newContext()).newPage()
  await thief.goto(url('/sign-in'))
  await thief.getByLabel('Email address').fill('guessed.assessor@board.demo.nhs.uk')
  await thief.getByLabel('Password', { exact: true }).fill('guessed kettle orbit')
  await thief.getByRole('button', { name: 'Sign in' }).click()
  const right = [-30, 0, 30].map((d) => totp(key!, Date.now() / 1000 + d))
  const wrong = ['111111', '222222', '333333', '444444'].find((c) => !right.includes(c))!
  for (let i = 0; i < 2; i++) {
    await thief.getByLabel('Security code').fill(wrong)
    await thief.getByRole('button', { name: 'Continue' }).click()
    await expect(thief.locator('#code-error')).toBeVisible()
  }
  await thief.getByLabel('Security code').fill(wrong)
  await thief.getByRole('button', { name: 'Continue' }).click()
  await expect(thief).toHaveTitle(/^Error: Sign in/)
  const summary = thief.locator('.nhsuk-error-summary')
  await expect(summary).toContainText('Too many wrong security codes. Wait 1 minute and sign in again with your password')
  await axe(thief)
  // The right password now waits too.
  await thief.getByLabel('Email address').fill('guessed.assessor@board.demo.nhs.uk')
  await thief.getByLabel('Password', { exact: true }).fill('guessed kettle orbit')
  await thief.getByRole('button', { name: 'Sign in' }).click()
  await expect(summary).toContainText('Too many wrong security codes were given for this account')
})

test('without JavaScript too, a wrong code is explained and the sign-in goes on', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false })
  const page = await context.newPage()
  await page.goto(url('/sign-in?next=%2F%09%2Fevil.example'))
  await page.getByLabel('Email address').fill(ADMIN.email)
  await page.getByLabel('Password', { exact: true }).fill(ADMIN.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByLabel('Security code').fill('000000')
  await page.getByRole('button', { name: 'Continue' }).click()
  await expect(page.locator('.nhsuk-error-summary')).toContainText('The code is not right or has been used')
  await page.getByLabel('Security code').fill(await freshCode(ADMIN.key))
  await page.getByRole('button', { name: 'Continue' }).click()
  // The tab-slash "next" was not followed: the admin's own home, on this site.
  await expect(page).toHaveURL(url('/admin/nominations'))
  await context.close()
})

test('a page without an island loads no wasm and works; static files are kept as a CDN would', async ({ page }) => {
  const requested: string[] = []
  page.on('request', (r) => requested.push(r.url()))
  await page.goto(url('/economies'))
  await page.getByRole('link', { name: /^Economy/ }).click()
  await expect(page).toHaveURL(/sort=name&dir=asc/)
  await expect(page.locator('body')).toHaveClass(/js-enabled/) // the NHS.UK script ran
  expect(requested.filter((u) => /\.wasm$|\/pkg\/exemplar-[a-z]+\.[0-9a-f]{16}\.js$/.test(u))).toEqual([])
  // The stylesheets have fingerprinted names, are precompressed and kept for a year.
  for (const href of await page.locator('link[rel="stylesheet"]').evaluateAll((ls) => ls.map((l) => l.getAttribute('href')!))) {
    expect(href).toMatch(/\.[0-9a-f]{16}\.css$/)
    const res = await page.request.get(url(href), { headers: { 'Accept-Encoding': 'gzip, deflate, br' } })
    expect(res.status()).toBe(200)
    expect(res.headers()['cache-control']).toBe('public, max-age=31536000, immutable')
    expect(res.headers()['content-encoding']).toBe('br')
  }
  // A page with an island loads its own bundle and no other (its hydration is the hydration
  // test's).
  requested.length = 0
  await page.goto(url('/how-scores-work'))
  await expect.poll(() => requested.some((u) => /\/pkg\/exemplar-calculator\.[0-9a-f]{16}\.wasm$/.test(u))).toBe(true)
  expect(requested.filter((u) => /\/pkg\/exemplar-(forms|compare)\./.test(u))).toEqual([])
})
