import { test as base, expect, Page } from '@playwright/test'
import AxeBuilder from '@axe-core/playwright'

export const url = (p: string) => `${process.env.EXEMPLAR_URL}${p}`

// Every page a visitor can reach today; each gets an axe check with JavaScript on and off.
export const PAGES = [
  '/',
  '/economies',
  '/economies?as_of=2014-Q3',
  '/economies?sort=overall&dir=desc',
  '/economies/leeds-health-and-care-economy',
  '/economies/somerset',
  '/regions',
  '/how-scores-work',
  '/open-data',
  '/accessibility-statement',
  '/privacy',
  '/sign-in',
  '/reset-password',
  '/no-such-page',
]

/** Fails on any request to another origin: the service makes no external requests. */
export const test = base.extend<{ external: string[] }>({
  external: async ({ page }, use) => {
    const external: string[] = []
    const origin = new URL(process.env.EXEMPLAR_URL!).origin
    page.on('request', (r) => {
      const u = r.url()
      if (!u.startsWith(origin) && !u.startsWith('data:')) external.push(u)
    })
    await use(external)
    expect(external, 'requests to other origins').toEqual([])
  },
})

export async function axe(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'])
    .analyze()
  expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(', ')})`)).toEqual([])
}

export { expect }
