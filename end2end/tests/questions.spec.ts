import { test, expect, url, axe, ASSESSOR, signInStaff, signInSubmitter } from './fixtures'

// A small valid PDF, attached to the economy's answer.
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n')

for (const js of [true, false]) {
  test(`the board asks an economy a question, the economy answers and the board resolves it (${js ? 'with' : 'without'} JavaScript)`, async ({ browser }) => {
    test.slow()
    const board = await (await browser.newContext({ javaScriptEnabled: js })).newPage()
    await signInStaff(board, ASSESSOR, '/assess/economies/leeds-health-and-care-economy')
    await expect(board.getByRole('heading', { name: 'Ask the economy a question' })).toBeVisible()
    // Nothing chosen or written: the error summary names both.
    await board.getByRole('button', { name: 'Send question' }).click()
    const summary = board.locator('.nhsuk-error-summary')
    await expect(summary).toContainText('Select what the question is about')
    await expect(summary).toContainText('Write your question')
    if (js) await axe(board)
    await board.locator('#about').selectOption({ index: 3 })
    const question = `Why did this value rise so quickly? (${js ? 'asked with JavaScript' : 'asked without JavaScript'})`
    await board.getByLabel('Your question').fill(question)
    await board.getByRole('button', { name: 'Send question' }).click()
    await expect(board.getByText("Your question has been sent to the economy's submitters.")).toBeVisible()
    await expect(board.getByText('Waiting for the economy').first()).toBeVisible()
    if (js) await axe(board)
    const address = board.url()
    const id = new URL(address).pathname.split('/').pop()

    // The economy sees it waiting on its own page, and answers.
    const economy = await (await browser.newContext({ javaScriptEnabled: js })).newPage()
    await signInSubmitter(economy)
    await economy.goto(url('/my-economy'))
    await expect(economy.getByText(/waiting for your answer/).first()).toBeVisible()
    await economy.goto(url(`/my-economy/questions/${id}`))
    await expect(economy.getByText(question)).toBeVisible()
    await economy.getByRole('button', { name: 'Send answer' }).click()
    await expect(economy.locator('.nhsuk-error-summary')).toContainText('Write your answer')
    const answer = 'The new medicines system went live on every ward in March.'
    await economy.getByLabel('Your answer').fill(answer)
    await economy.getByLabel('A link to a document (optional)').fill('https://www.leedsth.nhs.uk/epma-go-live.pdf')
    await economy.getByLabel('Attach a document (optional)').setInputFiles({ name: 'EPMA wards.pdf', mimeType: 'application/pdf', buffer: PDF })
    await economy.getByRole('button', { name: 'Send answer' }).click()
    await expect(economy.getByText('Your answer has been sent to the board.')).toBeVisible()
    await expect(economy.getByText('Answered: waiting for the board').first()).toBeVisible()
    if (js) await axe(economy)

    // The board reads the answer, sees who has read what, and resolves the question.
    await board.goto(address)
    await expect(board.getByText(answer)).toBeVisible()
    await expect(board.getByRole('link', { name: 'https://www.leedsth.nhs.uk/epma-go-live.pdf' })).toBeVisible()
    await expect(board.getByText(/Seen by submitter@leeds\.demo\.nhs\.uk/).first()).toBeVisible()
    // The document attached to the answer downloads for the board.
    const [download] = await Promise.all([
      board.waitForEvent('download'),
      board.getByRole('link', { name: 'EPMA wards.pdf (1 KB)' }).click(),
    ])
    expect(download.suggestedFilename()).toBe('EPMA wards.pdf')
    await board.getByRole('button', { name: 'Mark as resolved' }).click()
    await expect(board.getByText('The question is resolved. The economy has been told.')).toBeVisible()
    await expect(board.getByRole('button', { name: 'Send reply' })).toHaveCount(0)
    await economy.goto(url(`/my-economy/questions/${id}`))
    await expect(economy.getByText('Resolved', { exact: true }).first()).toBeVisible()
    await expect(economy.getByRole('button', { name: 'Send answer' })).toHaveCount(0)
  })
}
