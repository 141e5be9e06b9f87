import { test, expect, url, PAGES, ADMIN, ASSESSOR, signInStaff } from './fixtures'

// GOV.UK style: a count says its noun in the singular or the plural, never "value(s)", and a
// time is written in words ("14 April 2015 at 3:05pm"), never as a raw ISO timestamp. Every
// page a visitor, a submitter, an assessor and an admin reaches with the demo data is read as
// text (JavaScript off, so what the server sends).

const SUBMITTER_PAGES = ['/my-economy', '/my-economy/periods/2015-Q1', '/my-economy/upload', '/my-economy/organisations', '/my-economy/team', '/my-economy/questions', '/account']
const STAFF_PAGES = ['/assess', '/assess/compare?e=leeds-health-and-care-economy&e=salford-integrated-care', '/assess/shortlist', '/assess/trusts', '/assess/panel', '/assess/economies/leeds-health-and-care-economy', '/assess/questions']
const ADMIN_PAGES = ['/admin/users', '/admin/audit', '/admin/nominations', '/admin/publication', '/admin/frameworks', '/admin/panel', '/admin/panel/leeds-health-and-care-economy', '/admin/messages']

async function noMaybePlurals(page: import('@playwright/test').Page, paths: string[]) {
  for (const p of paths) {
    const res = await page.goto(url(p))
    expect(res?.status(), p).toBeLessThan(500)
    const text = await page.locator('body').innerText()
    expect(text.match(/\w\(s\)/g) ?? [], `"(s)" on ${p}`).toEqual([])
    expect(text.match(/\d{4}-\d\d-\d\dT\d\d:\d\d/g) ?? [], `a raw ISO timestamp on ${p}`).toEqual([])
  }
}

test('no page says "(s)" or shows a raw ISO timestamp: public, submitter, assessor and admin', async ({ browser }) => {
  test.setTimeout(120_000)
  const context = await browser.newContext({ javaScriptEnabled: false })
  const page = await context.newPage()
  await noMaybePlurals(page, PAGES)
  await page.goto(url('/sign-in'))
  await page.getByLabel('Email address').fill('submitter@leeds.demo.nhs.uk')
  await page.getByLabel('Password', { exact: true }).fill('demo submitter leeds')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page).toHaveURL(/\/my-economy$/)
  await noMaybePlurals(page, SUBMITTER_PAGES)
  await context.close()
  for (const [who, paths] of [[ASSESSOR, STAFF_PAGES], [ADMIN, [...STAFF_PAGES, ...ADMIN_PAGES]]] as const) {
    const staff = await browser.newContext({ javaScriptEnabled: false })
    const p = await staff.newPage()
    await signInStaff(p, who, '/account')
    await expect(p).toHaveURL(/\/account$/)
    await noMaybePlurals(p, [...paths])
    await staff.close()
  }
})
