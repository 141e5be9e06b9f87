import { test, expect, url, axe, signInSubmitter } from './fixtures'

// The register of NHS organisations: an economy finds a real organisation by name and adds it
// by its ODS code, and the public filters economies by NHS England area team; with JavaScript
// (and axe) and without.
for (const [js, search, code, name] of [
  [true, 'mid yorkshire', 'RXF', 'Mid Yorkshire Hospitals NHS Trust'],
  [false, 'harrogate and district', 'RCD', 'Harrogate and District NHS Foundation Trust'],
] as const) {
  const how = js ? 'with JavaScript' : 'without JavaScript'

  test(`an economy finds a trust in the NHS register and adds it by its code, ${how}`, async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: js })
    const page = await context.newPage()
    await signInSubmitter(page)
    await page.goto(url('/my-economy/organisations'))
    // The economy's real members: its CCGs and practices among them.
    await expect(page.getByRole('rowheader', { name: 'NHS Leeds North CCG' })).toBeVisible()
    // With JavaScript the results come as the person types; without, the Search button asks.
    await page.getByLabel('Find an NHS organisation by name or ODS code').fill(search)
    if (!js) await page.getByRole('button', { name: 'Search', exact: true }).click()
    const found = page.getByRole('table', { name: `Organisations matching "${search}"` })
    await expect(found).toContainText(code)
    await expect(found).toContainText('Acute trust')
    if (js) await axe(page)
    await page.getByRole('button', { name: `Add ${name} (${code})` }).click()
    await expect(page.getByText(`Added ${name} (${code}).`)).toBeVisible()
    await expect(page.getByRole('rowheader', { name })).toBeVisible()
    // An unknown code is refused at its field, with the error summary.
    await page.getByLabel('ODS code', { exact: true }).fill('RZZ')
    await page.getByRole('button', { name: 'Add organisation' }).click()
    await expect(page.locator('.nhsuk-error-summary')).toContainText('RZZ is not an NHS organisation of 2013 to 2015')
    if (js) await axe(page)
    // Leave the economy as it was.
    await page.goto(url('/my-economy/organisations'))
    await page.getByRole('button', { name: `Remove ${name}` }).click()
    await expect(page.getByText(`Removed ${name}.`)).toBeVisible()
    await context.close()
  })

  test(`the public filters economies and trusts by NHS England area team, ${how}`, async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: js })
    const page = await context.newPage()
    await page.goto(url('/economies'))
    await page.getByLabel('NHS England region or area team').selectOption('Q52')
    await page.getByRole('button', { name: 'Show' }).click()
    await expect(page).toHaveURL(/nhs=Q52/)
    const table = page.locator('table.exemplar-ranking')
    await expect(table).toContainText('Leeds health and care economy')
    await expect(table).not.toContainText('Sheffield')
    if (js) await axe(page)
    await page.goto(url('/regions'))
    await page.getByRole('link', { name: 'Trusts in West Yorkshire area team' }).click()
    await expect(page.getByTestId('trust-count')).toContainText('in West Yorkshire area team')
    await expect(page.getByText('Leeds Teaching Hospitals NHS Trust', { exact: true }).first()).toBeVisible()
    if (js) await axe(page)
    // A trust that merged keeps its place, with its close date and where its services went.
    await page.goto(url('/trusts?q=RC3'))
    await expect(page.getByTestId('closed-trust')).toContainText(
      'Closed on 30 September 2014: its services passed to London North West Healthcare NHS Trust (R1K).'
    )
    await page.getByRole('link', { name: 'See R1K' }).click()
    await expect(page.getByRole('rowheader', { name: 'London North West Healthcare NHS Trust' })).toBeVisible()
    if (js) await axe(page)
    await context.close()
  })
}
