import type { ChildProcess } from 'node:child_process'
import type { Page } from '@playwright/test'
import { test, expect, axe, ownServer, signInAt, SUBMITTER, ADMIN } from './fixtures'

// Check before it is public: the demo again on 5 June 2015, inside 2015-Q1's preview window
// (planned for 14 June, so questions run from 4 to 13 June), on a server of its own.
let server: ChildProcess
let base = ''

test.beforeAll(async () => {
  ;({ base, server } = await ownServer('preview', ['--today', '2015-06-05']))
})

test.afterAll(() => {
  server?.kill('SIGTERM')
})

const signIn = (page: Page, email: string, password: string, key?: string) => signInAt(page, base, email, password, key)

for (const js of [true, false]) {
  const how = js ? 'with JavaScript' : 'without JavaScript'
  test(`an economy questions a figure before publication and sees the board's answer, ${how}`, async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: js })
    const page = await context.newPage()
    await signIn(page, SUBMITTER.email, SUBMITTER.password)
    await expect(page).toHaveURL(/\/my-economy$/)
    await expect(page.getByRole('heading', { name: 'Check your figures for 2015-Q1 before they are published' })).toBeVisible()
    await expect(page.getByText('The figures for 2015-Q1 will be published on 14 June 2015.')).toBeVisible()
    // The answered question of 2014-Q4 is there too.
    await expect(page.locator('#preview ~ .nhsuk-card').filter({ hasText: 'Theme: Medicines management for 2014-Q4' })).toContainText('Kept')
    if (js) await axe(page)

    // Sent without a reason: the error summary, the field's message, nothing lost.
    await page.getByLabel('Which figure do you believe is wrong?').selectOption('theme:records')
    await page.getByRole('button', { name: 'Send to the board' }).click()
    await expect(page).toHaveTitle(/^Error: /)
    const summary = page.locator('.nhsuk-error-summary')
    await expect(summary).toContainText('Enter why you believe the figure is wrong')
    await expect(page.getByLabel('Which figure do you believe is wrong?')).toHaveValue('theme:records')
    if (js) await axe(page)
    await summary.getByRole('link', { name: 'Enter why you believe the figure is wrong' }).click()
    const reason = `Our acute trust's record went live on 1 March (${how}); the March value is missing.`
    await page.getByLabel('Why do you believe it is wrong?').fill(reason)
    await page.getByRole('button', { name: 'Send to the board' }).click()
    await expect(page).toHaveURL(/\/my-economy#preview$/)
    await expect(page.getByText(/^Sent to the board: your question about Theme: Records[^.]* for 2015-Q1\./)).toBeVisible()
    const card = page.locator('.nhsuk-card').filter({ hasText: reason })
    await expect(card).toContainText('Waiting for the board')

    // The board answers on its publication page.
    const admin = await browser.newContext({ javaScriptEnabled: js })
    const board = await admin.newPage()
    await signIn(board, ADMIN.email, ADMIN.password, ADMIN.key)
    await board.goto(`${base}/admin/publication`)
    await expect(board.getByRole('heading', { name: 'Figures economies questioned' })).toBeVisible()
    const question = board.locator('.nhsuk-card').filter({ hasText: reason })
    await question.getByLabel('Kept').check()
    const answer = `The March value was submitted after the deadline (${how}); the figure stands.`
    await question.getByLabel('What you tell the economy').fill(answer)
    await question.getByRole('button', { name: /Send the answer/ }).click()
    await expect(board.getByText(/Answered Leeds health and care economy's question about Theme: Records[^.]*: kept\./)).toBeVisible()
    if (js) await axe(board)
    await admin.close()

    await page.goto(`${base}/my-economy`)
    const answered = page.locator('.nhsuk-card').filter({ hasText: reason })
    await expect(answered).toContainText('Kept')
    await expect(answered).toContainText(`The board's answer on 5 June 2015: ${answer}`)
    await context.close()
  })
}
