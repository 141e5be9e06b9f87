import { test, expect, url, axe } from './fixtures'

// On a phone (390 pixels wide) the public tables are NHS.UK responsive tables: each row is a
// card that shows every column with its heading, so nothing that matters is off to the right,
// and the page itself never scrolls sideways. "Sign in" shows in the header, not under "More".
// Charts keep their text at 12 pixels or more. With JavaScript (and axe) and without.
const PHONE = { width: 390, height: 844 }

async function pageWidth(page: import('@playwright/test').Page) {
  return page.evaluate(() => document.scrollingElement!.scrollWidth)
}

for (const js of [true, false]) {
  const how = js ? 'with JavaScript' : 'without JavaScript'

  test(`the ranking shows each economy's verified score and stage on a phone, ${how}`, async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: js, viewport: PHONE })
    const page = await context.newPage()
    await page.goto(url('/economies'))
    expect(await pageWidth(page)).toBeLessThanOrEqual(390)

    // Sign in is in the header, visible at once.
    const signIn = page.getByRole('banner').getByRole('link', { name: 'Sign in' })
    await expect(signIn).toBeVisible()
    await expect(signIn).toBeInViewport()

    const table = page.locator('table.exemplar-ranking')
    await expect(table.locator('caption')).toHaveText(/^Candidate economies, \d{4}-Q\d$/)
    const rows = table.locator('tbody tr')
    const n = await rows.count()
    expect(n).toBeGreaterThan(5)
    for (let i = 0; i < n; i++) {
      const row = rows.nth(i)
      for (const heading of ['Verified overall', 'Stage', 'Paperless by 2018', 'Since last quarter']) {
        const cell = row.locator('td', { has: page.locator('.nhsuk-table-responsive__heading', { hasText: heading }) })
        await expect(cell).toBeVisible()
        const box = (await cell.boundingBox())!
        expect(box.x, `${heading} of row ${i + 1} starts on the screen`).toBeGreaterThanOrEqual(0)
        expect(box.x + box.width, `${heading} of row ${i + 1} ends on the screen`).toBeLessThanOrEqual(390)
      }
      // The figure itself, not only its heading.
      const verified = row.locator('td', { has: page.locator('.nhsuk-table-responsive__heading', { hasText: 'Verified overall' }) })
      await expect(verified).toHaveText(/^Verified overall\s+(\d+\.\d|–)$/)
    }
    // The orders the hidden headers offer, as links above the cards.
    const sortLinks = page.getByTestId('sort-links')
    await expect(sortLinks).toBeVisible()
    await sortLinks.getByRole('link', { name: 'verified score' }).click()
    await expect(page).toHaveURL(/sort=verified&dir=desc/)
    await expect(page.getByTestId('sort-links').locator('strong')).toHaveText('verified score')
    expect(await pageWidth(page)).toBeLessThanOrEqual(390)
    if (js) await axe(page)
    await context.close()
  })

  test(`public pages fit a phone, with legible charts, ${how}`, async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: js, viewport: PHONE })
    const page = await context.newPage()
    for (const path of ['/', '/economies/leeds-health-and-care-economy', '/regions', '/trusts', '/benefits']) {
      await page.goto(url(path))
      expect(await pageWidth(page), path).toBeLessThanOrEqual(390)
      // Every responsive table fits the screen: no column is off to the right.
      for (const t of await page.locator('table.nhsuk-table-responsive').all()) {
        if (!(await t.isVisible())) continue
        const box = (await t.boundingBox())!
        expect(box.x + box.width, `a table on ${path}`).toBeLessThanOrEqual(392)
      }
      // Chart text is at least 12 pixels on the screen.
      const smallest = await page.evaluate(() => {
        let min = Infinity
        for (const svg of document.querySelectorAll<SVGSVGElement>('svg.exemplar-chart')) {
          const vb = svg.viewBox.baseVal
          const w = svg.getBoundingClientRect().width
          if (!vb || !vb.width || !w) continue
          for (const t of svg.querySelectorAll('text')) {
            min = Math.min(min, (parseFloat(getComputedStyle(t).fontSize) * w) / vb.width)
          }
        }
        return min
      })
      expect(smallest, `chart text on ${path}`).toBeGreaterThanOrEqual(12)
      if (await page.locator('svg.exemplar-chart').count()) {
        await expect(page.getByText('Scroll sideways to see the whole chart.').first()).toBeVisible()
      }
      if (js) await axe(page)
    }
    await context.close()
  })

  test(`on a wide screen the ranking is a table with sortable headers, ${how}`, async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: js, viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    await page.goto(url('/economies'))
    await expect(page.getByRole('columnheader', { name: /^Verified overall/ })).toBeVisible()
    await expect(page.getByTestId('sort-links')).toBeHidden()
    await expect(page.locator('.nhsuk-table-responsive__heading').first()).toBeHidden()
    await expect(page.getByRole('banner').getByRole('link', { name: 'Sign in' })).toBeVisible()
    if (js) await axe(page)
    // Charts fit a wide screen: no hint to scroll.
    await page.goto(url('/'))
    await expect(page.getByText('Scroll sideways to see the whole chart.')).toBeHidden()
    await context.close()
  })
}
