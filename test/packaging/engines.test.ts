// The Node versions we promise, in one place each: .ci/node-versions (what CI runs on), package.json
// `engines`, the README's support matrix, and the engines of every package in the lockfile, test-only
// retry libraries and tools included, checked against them.

import t from 'tap'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
// semver is a dependency of fastify, so it is always installed; npm matches engines with it too.
const { satisfies } = createRequire(import.meta.url)('semver') as { satisfies: (version: string, range: string) => boolean }

/**
 * Packages whose `engines` refuse the best-effort Node 20 while they still work on it. A new one
 * fails this test: pick a version that runs on Node 20, or end Node 20 in .ci/node-versions and the README.
 */
const KNOWN_REFUSING_BEST_EFFORT: Readonly<Record<string, string>> = {
  // cookie@2 (through fastify's light-my-request) declares >=22 but only uses what Node 20 has.
  'node_modules/cookie': '>=22'
}

type Status = 'supported' | 'best-effort'
interface PinnedNode { status: Status; version: string; major: string }

const pins: PinnedNode[] = readFileSync(join(ROOT, '.ci/node-versions'), 'utf8').split('\n')
  .filter((l) => l.trim() !== '' && !l.startsWith('#'))
  .map((l) => {
    const [status, version] = l.trim().split(/\s+/)
    if ((status !== 'supported' && status !== 'best-effort') || version === undefined) throw new Error(`.ci/node-versions: bad line "${l}"`)
    return { status, version, major: version.split('.')[0]! }
  })
const supported = pins.filter((p) => p.status === 'supported')
const bestEffort = pins.filter((p) => p.status === 'best-effort')

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines?: { node?: string } }
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string; dev?: boolean; engines?: { node?: string } | string[] }>
}

/** Lockfile entries (path → range) whose declared node range refuses `version`. */
function refusing (version: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [path, entry] of Object.entries(lock.packages)) {
    const range = Array.isArray(entry.engines) ? undefined : entry.engines?.node
    if (path !== '' && range !== undefined && !satisfies(version, range)) out[path] = range
  }
  return out
}

t.test('CI pins 24 and 22 as supported and 20 as best-effort, the main one first', async (t) => {
  t.same(pins.map((p) => `${p.major} ${p.status}`), ['24 supported', '22 supported', '20 best-effort'])
})

t.test('package.json engines admit every supported Node and no best-effort one', async (t) => {
  const range = pkg.engines?.node ?? ''
  t.not(range, '', 'engines.node is set')
  for (const p of supported) t.ok(satisfies(p.version, range), `${range} admits ${p.version}`)
  for (const p of bestEffort) t.notOk(satisfies(p.version, range), `${range} does not promise ${p.version} (best-effort)`)
  t.same(lock.packages['']?.engines, { node: range }, 'package-lock.json records the same engines')
})

t.test('every package in the lockfile, dev tools and test-only retry libraries too, runs on every supported Node', async (t) => {
  for (const p of supported) t.same(refusing(p.version), {}, `no package refuses Node ${p.version}`)
})

t.test('the packages that refuse the best-effort Node are the known ones', async (t) => {
  for (const p of bestEffort) t.same(refusing(p.version), KNOWN_REFUSING_BEST_EFFORT, `refusing Node ${p.version}`)
})

t.test("the README's support matrix says what CI runs", async (t) => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
  const rows = new Map<string, string>()
  for (const m of readme.matchAll(/^\| (\d+) \([^)]*\) \| ([^|]+) \| ([^|]+) \|$/gm)) rows.set(m[1]!, `${m[2]!.trim()} | ${m[3]!.trim()}`)
  t.same([...rows.keys()], pins.map((p) => p.major), 'one row per pinned Node, newest first')
  for (const p of pins) {
    const row = rows.get(p.major) ?? ''
    t.match(row, p.status === 'supported' ? /^supported/ : /^best effort/, `Node ${p.major} is ${p.status}`)
    t.match(row, `\`${p.version}\``, `the row names the build CI runs, ${p.version}`)
  }
})
