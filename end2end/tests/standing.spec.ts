import { test, expect, url, axe, signInSubmitter } from './fixtures'

// Where an economy stands: beside the economies most like it in their organisations, from the
// published scores, never a league table of named peers.
for (const js of [true, false]) {
  const how = js ? 'with JavaScript' : 'without JavaScript'
  test(`an economy sees itself beside economies like it, ${how}`, async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: js })
    const page = await context.newPage()
    await signInSubmitter(page)
    const section = page.locator('#peers + p')
    await expect(section).toContainText(/^As published for \d{4}-Q\d\. Your economy has 1 acute trust, 1 community trust, 1 mental health trust and \d+ GP practices\./)
    // Five peers, by name, without their scores.
    await expect(section).toContainText(/most like it in their trusts and practices are [^.]+, [^.]+, [^.]+, [^.]+ and [^.]+\./)
    const table = page.getByRole('table', { name: /Your published scores for \d{4}-Q\d beside economies like yours/ })
    const overall = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Overall' }) })
    await expect(overall).toContainText(/Economies like yours \(median\) \d+\.\d/)
    await expect(overall).toContainText(/Every economy \(median\) \d+\.\d/)
    await expect(overall).toContainText(/Best \d+\.\d, /)
    await page.getByText('How economies like yours are chosen').click()
    await expect(page.getByText('One trust more or fewer counts as much as twice or half the practices.')).toBeVisible()
    if (js) await axe(page)
    await context.close()
  })
}
