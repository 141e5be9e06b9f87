import { readFileSync, rmSync } from 'node:fs'
import path from 'node:path'

export default async function globalTeardown() {
  const dir = process.env.EXEMPLAR_E2E_DIR
  if (!dir) return
  const pid = Number(readFileSync(path.join(dir, 'pid'), 'utf8'))
  try {
    process.kill(pid, 'SIGINT')
  } catch {
    // already gone
  }
  rmSync(dir, { recursive: true, force: true })
}
