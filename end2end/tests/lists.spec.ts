import { test, expect, url, axe, ADMIN, signInStaff } from './fixtures'

// Long lists a page at a time (the trust register, the audit log), searching the economies by
// name, and setting up an authenticator app with a QR code: each with JavaScript on (with an
// axe check) and off, where every form is a plain GET or POST.
for (const js of [true, false]) {
  const how = js ? 'with JavaScript' : 'without JavaScript'

  test(`the trust register goes a page at a time and keeps its search, ${how}`, async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: js })
    const page = await context.newPage()
    await page.goto(url('/trusts'))
    const count = page.getByTestId('trust-count')
    await expect(count).toHaveText(/^Showing 1 to 50 of \d+ trusts\.$/)
    const pages = page.getByRole('navigation', { name: 'Pages of the trust register' })
    await expect(pages.getByRole('link', { name: /^Previous/ })).toHaveCount(0)
    await pages.getByRole('link', { name: /^Next page ?: Page 2 of \d+$/ }).click()
    await expect(page).toHaveURL(/\/trusts\?page=2#register$/)
    await expect(count).toHaveText(/^Showing 51 to 100 of \d+ trusts\.$/)
    if (js) await axe(page)
    await pages.getByRole('link', { name: /^Previous page ?: Page 1 of \d+$/ }).click()
    await expect(count).toHaveText(/^Showing 1 to 50 of/)

    // A search, then its second page: the search is kept.
    await page.getByLabel('Name or ODS code').fill('nhs')
    await page.getByRole('button', { name: 'Search' }).click()
    await expect(count).toHaveText(/^Showing 1 to 50 of \d+ trusts matching “nhs”\.$/)
    await pages.getByRole('link', { name: /^Next page/ }).click()
    await expect(page).toHaveURL(/\/trusts\?q=nhs&page=2#register$/)
    await expect(count).toHaveText(/^Showing 51 to \d+ of \d+ trusts matching “nhs”\.$/)
    await expect(page.getByLabel('Name or ODS code')).toHaveValue('nhs')

    // A page past the last: the last, and a sentence saying so.
    await page.goto(url('/trusts?page=999'))
    await expect(page.getByTestId('past-end')).toHaveText(/^There is no page 999\. This is the last page, page (\d+) of \1\.$/)
    await expect(pages.getByRole('link', { name: /^Next/ })).toHaveCount(0)
    if (js) await axe(page)
    await context.close()
  })

  test(`economies are found by part of a name in any case, ${how}`, async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: js })
    const page = await context.newPage()
    await page.goto(url('/economies'))
    const ranking = page.locator('table.exemplar-ranking tbody tr')
    const all = await ranking.count()
    expect(all).toBeGreaterThan(10)
    const search = page.getByRole('search', { name: 'Economies by name' })
    await search.getByLabel('Search by name').fill('SELBY')
    await search.getByRole('button', { name: 'Search' }).click()
    await expect(page).toHaveURL(/[?&]q=SELBY/)
    await expect(page.getByTestId('search-result')).toContainText(/^\d+ econom(y|ies) found for “SELBY”\./)
    await expect(page.getByRole('link', { name: 'York and Selby' })).toBeVisible()
    await expect(ranking).not.toHaveCount(all)
    if (js) await axe(page)

    // Nothing found: a sentence, no table, and a way back to every economy.
    await search.getByLabel('Search by name').fill('no such place')
    await search.getByRole('button', { name: 'Search' }).click()
    await expect(page.getByTestId('search-result')).toContainText(
      'No economy or member organisation has a name containing “no such place”.',
    )
    await expect(page.locator('table.exemplar-ranking')).toHaveCount(0)
    if (js) await axe(page)
    await page.getByRole('link', { name: 'Clear search for “no such place”' }).click()
    await expect(ranking).toHaveCount(all)
    await expect(page.getByLabel('Search by name')).toHaveValue('')
    await context.close()
  })

  test(`the audit log goes a page at a time, and staff scan a QR code to set up an app, ${how}`, async ({ browser }) => {
    // A one-time code works once: this may wait for the next 30-second step.
    test.setTimeout(90_000)
    const context = await browser.newContext({ javaScriptEnabled: js })
    const page = await context.newPage()
    await signInStaff(page, ADMIN, '/admin/audit')
    await expect(page.getByRole('heading', { name: 'Audit log', level: 1 })).toBeVisible()
    const count = page.getByTestId('audit-count')
    await expect(count).toHaveText(/^Showing 1 to 50 of [\d,]+ entries, newest first\.$/)
    const pages = page.getByRole('navigation', { name: 'Pages of the audit log' })
    await pages.getByRole('link', { name: /^Next page ?: Page 2 of \d+$/ }).click()
    await expect(page).toHaveURL(/\/admin\/audit\?page=2$/)
    await expect(count).toHaveText(/^Showing 51 to 100 of [\d,]+ entries, newest first\.$/)
    if (js) await axe(page)
    // A filter, then its second page: the filter is kept (the demo records a remediation
    // plan for each of more than 50 trusts).
    await page.getByLabel('Kind').selectOption('remediation-plan')
    await page.getByRole('button', { name: 'Filter' }).click()
    await expect(count).toHaveText(/^Showing 1 to 50 of \d+ entries, newest first\.$/)
    await pages.getByRole('link', { name: /^Next page ?: Page 2 of \d+$/ }).click()
    await expect(page).toHaveURL(/\/admin\/audit\?kind=remediation-plan&page=2$/)
    await expect(count).toHaveText(/^Showing 51 to \d+ of \d+ entries, newest first\.$/)
    await expect(page.getByLabel('Kind')).toHaveValue('remediation-plan')
    await expect(page.getByRole('cell', { name: 'remediation-plan' }).first()).toBeVisible()
    // A page past the last.
    await page.goto(url('/admin/audit?page=100000'))
    await expect(page.getByTestId('past-end')).toContainText('There is no page 100,000. This is the last page')

    // Setting up a new app: a QR code with a text alternative, and the key to type.
    await page.goto(url('/account'))
    const qr = page.getByRole('img', { name: 'QR code for setting up your authenticator app' })
    await expect(qr).toBeVisible()
    await expect(page.locator('figcaption')).toHaveText('Scan this QR code with your authenticator app, or type the key.')
    await expect(page.getByTestId('authenticator-key')).toHaveText(/^[A-Z2-7]{32}$/)
    const box = await qr.boundingBox()
    expect(box!.width).toBeGreaterThan(150)
    if (js) await axe(page)
    await context.close()
  })
}
