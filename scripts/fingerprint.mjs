// Gives the built site's static files the names a CDN would keep for a year, and compresses
// them ahead of time. Run by scripts/build-site.sh on target/site after it is assembled:
//
//   - each islands bundle's pkg/exemplar-BUNDLE.js and .wasm become exemplar-BUNDLE.HASH.js and
//     .wasm (one hash of both: they only work together); the server gives Leptos
//     `exemplar-BUNDLE.HASH` as the output name of a page with that bundle's islands, so the
//     islands' loader asks for these names;
//   - pkg/exemplar.css, nhsuk/nhsuk-frontend.min.css and nhsuk/nhsuk-frontend.min.js get their
//     hash in their name; nhsuk-init.js is rewritten to import the hashed NHS.UK script, then
//     hashed itself;
//   - manifest.json maps each plain name to its fingerprinted one and each bundle to its name
//     (read by the server);
//   - every text, script, wasm and icon file of 1 KB or more gets .gz (zlib level 9) and .br
//     (brotli quality 11) beside it, served by content negotiation.
//
// HASH is the first 16 hexadecimal characters of the SHA-256 of the content. The plain names
// stay too, for anything that links them directly.
import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync, readdirSync, statSync, renameSync } from 'node:fs'
import { brotliCompressSync, gzipSync, constants } from 'node:zlib'
import path from 'node:path'

const site = process.argv[2]
if (!site) {
  console.error('usage: node scripts/fingerprint.mjs SITE_ROOT')
  process.exit(2)
}
const hash = (...buffers) => {
  const h = createHash('sha256')
  for (const b of buffers) h.update(b)
  return h.digest('hex').slice(0, 16)
}
const at = (p) => path.join(site, p)
const withHash = (p, h) => p.replace(/(\.[a-z]+)$/, `.${h}$1`)
const files = {}

// The islands bundles (pkg/exemplar-BUNDLE.js and .wasm): one hash for each bundle's JS and
// wasm together.
const bundles = {}
for (const file of readdirSync(at('pkg')).sort()) {
  const m = /^(exemplar-[a-z]+)\.wasm$/.exec(file)
  if (!m) continue
  const base = m[1]
  const js = readFileSync(at(`pkg/${base}.js`))
  const wasm = readFileSync(at(`pkg/${base}.wasm`))
  const h = hash(js, wasm)
  renameSync(at(`pkg/${base}.js`), at(`pkg/${base}.${h}.js`))
  renameSync(at(`pkg/${base}.wasm`), at(`pkg/${base}.${h}.wasm`))
  bundles[base.slice('exemplar-'.length)] = `${base}.${h}`
}
if (Object.keys(bundles).length === 0) {
  console.error('fingerprint: no islands bundle (pkg/exemplar-BUNDLE.wasm) in ' + site)
  process.exit(1)
}

// A file copied under its fingerprinted name; returns the new URL path.
function fingerprint(urlPath, content) {
  const body = content ?? readFileSync(at(urlPath))
  const hashed = withHash(urlPath, hash(body))
  writeFileSync(at(hashed), body)
  files[urlPath] = hashed
  return hashed
}

fingerprint('/pkg/exemplar.css')
fingerprint('/nhsuk/nhsuk-frontend.min.css')
const nhsukJs = fingerprint('/nhsuk/nhsuk-frontend.min.js')
const init = readFileSync(at('nhsuk-init.js'), 'utf8')
if (!init.includes("'./nhsuk/nhsuk-frontend.min.js'")) {
  console.error('fingerprint: nhsuk-init.js no longer imports ./nhsuk/nhsuk-frontend.min.js')
  process.exit(1)
}
fingerprint('/nhsuk-init.js', Buffer.from(init.replace("'./nhsuk/nhsuk-frontend.min.js'", `'.${nhsukJs}'`)))

writeFileSync(at('manifest.json'), JSON.stringify({ bundles, files }, null, 2) + '\n')

// Compressed copies of everything worth compressing.
const compressible = /\.(css|js|mjs|wasm|svg|ico|json|txt|html|map)$/
let count = 0
function walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name)
    const s = statSync(p)
    if (s.isDirectory()) walk(p)
    else if (compressible.test(name) && s.size >= 1024) {
      const body = readFileSync(p)
      writeFileSync(`${p}.gz`, gzipSync(body, { level: 9 }))
      writeFileSync(
        `${p}.br`,
        brotliCompressSync(body, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: 11,
            [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
          },
        }),
      )
      count++
    }
  }
}
walk(site)
console.error(`fingerprint: bundles ${Object.values(bundles).join(', ')}, ${Object.keys(files).length} fingerprinted files, ${count} compressed`)
