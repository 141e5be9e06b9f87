import { test as base, expect, Page } from '@playwright/test'
import AxeBuilder from '@axe-core/playwright'
import { spawn, type ChildProcess } from 'node:child_process'
import { createHmac } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

export const url = (p: string) => `${process.env.EXEMPLAR_URL}${p}`

// The link matching `pattern` in the newest message to `to` in the server's mail folder,
// where messages go without an SMTP server (never the outbox, a page or the log). The server
// sends what a request queued within about a second: this waits up to 15 seconds.
export async function sentLink(to: string, pattern: RegExp): Promise<string> {
  const dir = path.join(process.env.EXEMPLAR_E2E_DIR!, 'mail')
  const deadline = Date.now() + 15_000
  for (;;) {
    let files: string[] = []
    try {
      files = readdirSync(dir)
    } catch {
      // The folder appears with the first message.
    }
    const texts = files
      .sort()
      .reverse()
      // As a mail client reads it: quoted-printable's soft line breaks and escaped "=" undone.
      .map((f) => readFileSync(path.join(dir, f), 'utf8').replace(/=\r\n/g, '').replace(/=3D/g, '='))
      .filter((t) => t.includes(`\r\nTo: ${to}\r\n`) || t.startsWith(`To: ${to}\r\n`))
    for (const t of texts) {
      const m = t.match(pattern)
      if (m) return m[0]
    }
    if (Date.now() > deadline) throw new Error(`no message to ${to} matching ${pattern} in ${dir}`)
    await new Promise((r) => setTimeout(r, 200))
  }
}

// Every page a visitor can reach today; each gets an axe check with JavaScript on and off.
export const PAGES = [
  '/',
  '/economies',
  '/economies?as_of=2014-Q3',
  '/economies?sort=overall&dir=desc',
  '/economies/leeds-health-and-care-economy',
  '/economies/somerset',
  '/regions',
  '/trusts',
  '/trusts?q=leeds',
  '/benefits',
  '/benefits?as_of=2014-Q2',
  '/how-scores-work',
  '/open-data',
  '/open-data/api',
  '/accessibility-statement',
  '/privacy',
  '/sign-in',
  '/reset-password',
  '/nominate',
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

// The demo admin (app/src/demo.rs), whose one-time-code key the demo prints.
export const ADMIN = { email: 'admin@board.demo.nhs.uk', password: 'demo admin board', key: 'KRUGKIDROVUWG2ZAMJZG653OEBTG66BA' }

/** RFC 6238: the 6-digit code of a base32 key at a unix time (SHA-1, 30 s). */
export function totp(key: string, unix: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
  let bits = ''
  for (const c of key) bits += alphabet.indexOf(c).toString(2).padStart(5, '0')
  const bytes = Buffer.from(bits.match(/.{8}/g)!.map((b) => parseInt(b, 2)))
  const counter = Buffer.alloc(8)
  counter.writeBigUInt64BE(BigInt(Math.floor(unix / 30)))
  const h = createHmac('sha1', bytes).update(counter).digest()
  const o = h[h.length - 1] & 0xf
  const n = ((h[o] & 0x7f) << 24) | (h[o + 1] << 16) | (h[o + 2] << 8) | h[o + 3]
  return String(n % 1_000_000).padStart(6, '0')
}


// The demo assessor, whose one-time-code key the demo prints too.
export const ASSESSOR = { email: 'assessor@board.demo.nhs.uk', password: 'demo assessor board', key: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' }

/**
 * A one-time code for `key` that the server has not accepted yet: a code works once, and a
 * later sign-in must use a later 30-second step. The last step used per key is kept in the
 * run's folder; the server accepts one step ahead, so at most this waits for the clock.
 */
export async function freshCode(key: string): Promise<string> {
  const { readFileSync, writeFileSync } = await import('node:fs')
  const file = `${process.env.EXEMPLAR_E2E_DIR}/totp-steps.json`
  let used: Record<string, number> = {}
  try {
    used = JSON.parse(readFileSync(file, 'utf8'))
  } catch {}
  const now = () => Math.floor(Date.now() / 1000 / 30)
  let step = Math.max(now(), (used[key] ?? -1) + 1)
  while (step > now() + 1) {
    await new Promise((r) => setTimeout(r, 1000))
  }
  used[key] = step
  writeFileSync(file, JSON.stringify(used))
  return totp(key, step * 30)
}

/**
 * The session cookies of each member of staff after their first sign-in in this run. A
 * one-time code works once, so sign-ins of one person more than twice in 30 seconds wait for
 * the clock (half a minute each, minutes over a run); a test that only needs to be signed in
 * reuses the session, as a person keeps one open. The sign-in itself is tested on its own.
 */
const staffSessions = new Map<string, Awaited<ReturnType<import('@playwright/test').BrowserContext['cookies']>>>()

/**
 * Signs in board staff at `path`: with the session kept from an earlier sign-in when it is
 * still open, else password and a fresh one-time code (always for `/sign-in` itself).
 */
export async function signInStaff(page: Page, who: { email: string; password: string; key: string }, path: string) {
  const kept = path === '/sign-in' ? undefined : staffSessions.get(who.email)
  if (kept) {
    await page.context().addCookies(kept)
    const account = await page.request.get(url('/account'), { maxRedirects: 0 })
    if (account.status() === 200) {
      await page.goto(url(path))
      return
    }
    await page.context().clearCookies()
  }
  await page.goto(url(path))
  await page.getByLabel('Email address').fill(who.email)
  await page.getByLabel('Password', { exact: true }).fill(who.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByLabel('Security code').fill(await freshCode(who.key))
  await page.getByRole('button', { name: 'Continue' }).click()
  await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'))
  staffSessions.set(who.email, await page.context().cookies())
}

/** The demo's submitter for Leeds (no second factor). */
export const SUBMITTER = { email: 'submitter@leeds.demo.nhs.uk', password: 'demo submitter leeds' }

/** Signs in the demo's submitter, who lands on their economy's page. */
export async function signInSubmitter(page: Page) {
  await page.goto(url('/sign-in'))
  await page.getByLabel('Email address').fill(SUBMITTER.email)
  await page.getByLabel('Password', { exact: true }).fill(SUBMITTER.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page).toHaveURL(/\/my-economy$/)
}

/**
 * A demo server of a spec's own (the release binary on a free port, a fresh database), for
 * a spec that changes the demo's data or needs another day (`before`: arguments before
 * `serve`, such as `--today 2015-06-05`). Returns its address and the process to stop.
 */
export async function ownServer(name: string, before: string[] = []): Promise<{ base: string; server: ChildProcess }> {
  const root = path.resolve(__dirname, '../..')
  const dir = mkdtempSync(path.join(tmpdir(), `exemplar-${name}-`))
  const server = spawn(
    path.join(root, 'target/release/exemplar'),
    [...before, 'serve', '--demo', '--addr', '127.0.0.1:0', '--database-url', `sqlite://${dir}/d.db`,
      '--mail-dir', `${dir}/mail`, '--audit-key-file', `${dir}/audit.key`],
    { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, EXEMPLAR_LOG: 'warn' } },
  )
  const base = await new Promise<string>((resolve, reject) => {
    let seen = ''
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${seen}`)), 60_000)
    server.stderr!.on('data', (chunk: Buffer) => {
      seen += chunk.toString()
      const m = seen.match(/serving on (http:\/\/\S+)\r?\n/)
      if (m) {
        clearTimeout(timer)
        resolve(m[1])
      }
    })
  })
  return { base, server }
}

/** Signs in at another server than the shared one (`base`), with a one-time code if `key`. */
export async function signInAt(page: Page, base: string, email: string, password: string, key?: string) {
  await page.goto(`${base}/sign-in`)
  await page.getByLabel('Email address').fill(email)
  await page.getByLabel('Password', { exact: true }).fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  if (key) {
    await page.getByLabel('Security code').fill(await freshCode(key))
    await page.getByRole('button', { name: 'Continue' }).click()
  }
}
