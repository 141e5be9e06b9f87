import { test, expect, url, axe, ADMIN, signInStaff, signInSubmitter } from './fixtures'

// What the service sends, as admins see it, and what each person chooses to be sent (the
// mail issue): /admin/messages filtered by delivery state, and /account's email preferences.

for (const js of [true, false]) {
  test(`an admin sees the messages sent, filters them by delivery state, and never a link (${js ? 'with' : 'without'} JavaScript)`, async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: js, viewport: { width: 390, height: 844 } })
    const page = await context.newPage()
    await signInStaff(page, ADMIN, '/admin/messages')
    await expect(page.getByRole('heading', { level: 1, name: 'Messages' })).toBeVisible()
    await expect(page.getByText(/^Mail goes to /)).toBeVisible()
    const rows = page.locator('#messages tbody tr')
    expect(await rows.count()).toBeGreaterThan(0)
    await expect(page.locator('#messages')).not.toContainText('token=')
    if (js) await axe(page)

    // Only the messages sent: each row says so, and the address carries the choice.
    await page.locator('#state').selectOption('sent')
    await page.getByRole('button', { name: 'Show messages' }).click()
    await expect(page).toHaveURL(/\/admin\/messages\?state=sent$/)
    const sent = await rows.count()
    expect(sent).toBeGreaterThan(0)
    for (let i = 0; i < Math.min(sent, 5); i++) {
      await expect(rows.nth(i)).toContainText('Sent')
    }
    // None has failed in the demo: the page says so in words, with no empty table.
    await page.goto(url('/admin/messages?state=failed'))
    await expect(page.getByText('Every message has been delivered or is still being tried.')).toBeVisible()
    await expect(page.locator('table#messages')).toHaveCount(0)
    await context.close()
  })
}

test('a submitter chooses a weekly summary of reminders and no publication notices, without JavaScript', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } })
  const page = await context.newPage()
  await signInSubmitter(page)
  await page.goto(url('/account#email'))
  const reminders = page.getByRole('group', { name: 'Deadline reminders' })
  const publications = page.getByRole('group', { name: 'Publication notices' })
  await expect(reminders.getByLabel('As they happen')).toBeChecked()
  await reminders.getByLabel('In one summary a week').check()
  await publications.getByLabel('Do not send them').check()
  await page.getByRole('button', { name: 'Save email preferences' }).click()
  await expect(page.getByText('Your email preferences have been saved.')).toBeVisible()
  await page.goto(url('/account'))
  await expect(reminders.getByLabel('In one summary a week')).toBeChecked()
  await expect(publications.getByLabel('Do not send them')).toBeChecked()
  // Put back as the demo had them, for the other tests.
  await reminders.getByLabel('As they happen').check()
  await publications.getByLabel('As they happen').check()
  await page.getByRole('button', { name: 'Save email preferences' }).click()
  await expect(page.getByText('Your email preferences have been saved.')).toBeVisible()
  await context.close()
})
