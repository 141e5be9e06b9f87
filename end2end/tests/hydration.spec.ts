import { test, expect, url, axe, PAGES } from './fixtures'

test('the calculator island hydrates and scores as you type', async ({ page }) => {
  await page.goto(url('/how-scores-work'))
  const calc = page.locator('.exemplar-calculator')
  // Only the wasm sets this: without hydration the test fails here.
  await expect(calc).toHaveAttribute('data-hydrated', 'true', { timeout: 15_000 })
  const overall = page.getByTestId('calc-overall')
  await expect(overall).toHaveText('0.0')
  await page.getByLabel('Information Governance Toolkit level 2 in every organisation').selectOption('yes')
  // Governance weighs 1 of 12 and has two criteria: one yes is 50 × 1/12 ≈ 4.2, with no submit.
  await expect(overall).toHaveText('4.2')
  const nhsNumber = page.getByLabel('Records carrying the verified NHS number (%)')
  await nhsNumber.fill('200')
  const problem = page.getByText('200 is above 100 for percentage criterion NHS-NUMBER')
  await expect(problem).toBeVisible()
  // The message is read with the field, and goes once the value is put right.
  await expect(nhsNumber).toHaveAttribute('aria-describedby', /calc-nhs-number-error/)
  await nhsNumber.fill('80')
  await expect(problem).toBeHidden()
  await expect(nhsNumber).not.toHaveAttribute('aria-describedby', /error/)
})

test.describe('with JavaScript off', () => {
  test.use({ javaScriptEnabled: false })

  test('the calculator works as a plain form', async ({ page }) => {
    await page.goto(url('/how-scores-work'))
    await expect(page.locator('.exemplar-calculator')).toHaveAttribute('data-hydrated', 'false')
    await page.getByLabel('Information Governance Toolkit level 2 in every organisation').selectOption('yes')
    await page.getByRole('button', { name: 'Calculate scores' }).click()
    await expect(page).toHaveURL(/c_IG-TOOLKIT=yes/)
    await expect(page.getByTestId('calc-overall')).toHaveText('4.2')
  })

  test('the home page reads in full', async ({ page }) => {
    await page.goto(url('/'))
    await expect(page.getByRole('heading', { level: 1 })).toContainText('national progress')
    await expect(page.getByText('Latest published figures: October to December 2014')).toBeVisible()
    await expect(page.getByRole('heading', { name: 'Milestones' })).toBeVisible()
  })

})

// axe needs JavaScript to run, so these pages keep it on but get none of the app's own:
// every script file is refused, which is what a browser without JavaScript renders.
test.describe('without the app\'s scripts', () => {
  for (const path of PAGES) {
    test(`axe finds no violation on ${path} without JavaScript`, async ({ page }) => {
      await page.route(/\.(js|wasm)(\?.*)?$/, (route) => route.abort())
      await page.goto(url(path))
      await expect(page.locator('body')).not.toHaveClass(/js-enabled/)
      await axe(page)
    })
  }
})
