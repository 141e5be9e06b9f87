import { spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

// Starts the release server on a free port with a fresh database holding the demo data,
// and hands its address to the tests through the environment.
export default async function globalSetup() {
  const root = path.resolve(__dirname, '..')
  const dir = mkdtempSync(path.join(tmpdir(), 'exemplar-e2e-'))
  const server = spawn(
    path.join(root, 'target/release/exemplar'),
    [
      'serve', '--demo', '--addr', '127.0.0.1:0', '--database-url', `sqlite://${dir}/e2e.db`,
      '--mail-dir', `${dir}/mail`, '--audit-key-file', `${dir}/audit.key`,
    ],
    { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, EXEMPLAR_LOG: 'warn' } },
  )
  const url = await new Promise<string>((resolve, reject) => {
    let seen = ''
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${seen}`)), 60_000)
    server.stderr.on('data', (chunk: Buffer) => {
      seen += chunk.toString()
      const m = seen.match(/serving on (http:\/\/\S+)\r?\n/)
      if (m) {
        clearTimeout(timer)
        resolve(m[1])
      }
    })
    server.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${seen}`)))
  })
  server.stderr.on('data', (chunk: Buffer) => process.stderr.write(chunk))
  process.env.EXEMPLAR_URL = url
  writeFileSync(path.join(dir, 'pid'), String(server.pid))
  process.env.EXEMPLAR_E2E_DIR = dir
}
