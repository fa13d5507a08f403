// Any scenario document, no crash: generated valid documents load (from YAML and as objects, to the
// same scenario) and serve; broken ones of every kind fail with located problems, never a throw.

import fc from 'fast-check'
import t from 'tap'
import { ManualClock, parseScenario, scenarioFromObject, startMockServer, type LoadResult } from '../../server/index.js'
import { scenarioSchema } from '../../server/scenario/schema.js'
import { serve, settle } from '../helpers.js'
import { servedProblem } from './aurion-answer.js'
import { sendRaw } from './raw-http.js'
import { checkProperty } from './fuzz-options.js'
import {
  aliasText, bigText, binaryJunk, deepObject, deepText, duplicateNamesDoc, textMutation, toYaml, unknownKeyDoc,
  validScenario, validScenarioText, wrongTypeDoc, yamlishText
} from './scenario-arbitraries.js'
import { knownServeBug } from './known-bugs.js'

const SOURCE = 'fuzz.yaml'
/** One parse taking longer than this is a finding (a catastrophic regexp, a quadratic walk). */
const SLOW_PARSE_MS = 2000

/** Why a load result is not acceptable for input `text`, or undefined when it is. */
function badResult (result: LoadResult, source: string, text?: string): string | undefined {
  if (result.ok) return undefined
  if (!Array.isArray(result.problems) || result.problems.length === 0) return 'not ok, yet no problems'
  const lines = text === undefined ? undefined : text.split('\n').length
  for (const p of result.problems) {
    const where = JSON.stringify(p)
    if (p.file !== source) return `problem names file ${JSON.stringify(p.file)}, not ${source}: ${where}`
    if (!Number.isInteger(p.line) || p.line < 0) return `bad line: ${where}`
    if (!Number.isInteger(p.column) || p.column < 0) return `bad column: ${where}`
    if (typeof p.message !== 'string' || p.message.trim() === '') return `empty message: ${where}`
    if (typeof p.pointer !== 'string' || (p.pointer !== '' && !p.pointer.startsWith('/'))) return `bad pointer: ${where}`
    // The loader's last-resort catch: an exception escaped the checks, which is a bug even if caught.
    if (p.message.startsWith('could not check the scenario')) return `internal error caught: ${where}`
    if (p.message.includes('[object Object]')) return `unreadable message: ${where}`
    if (lines !== undefined && p.line > lines + 1) return `line ${p.line} past the end (${lines} lines): ${where}`
  }
  return undefined
}

/** Parses text (timed) and throws with a readable reason when the result is unacceptable. */
function parseChecked (text: string): LoadResult {
  const started = performance.now()
  const result = parseScenario(text, SOURCE)
  const ms = performance.now() - started
  if (ms > SLOW_PARSE_MS) throw new Error(`parse took ${Math.round(ms)} ms for ${text.length} characters`)
  const bad = badResult(result, SOURCE, text)
  if (bad !== undefined) throw new Error(bad)
  return result
}

function fromObjectChecked (doc: unknown): LoadResult {
  const result = scenarioFromObject(doc, 'inline')
  const bad = badResult(result, 'inline')
  if (bad !== undefined) throw new Error(bad)
  return result
}

function problemText (result: LoadResult): string {
  return result.ok ? 'ok' : result.problems.map((p) => `${p.line}:${p.column} ${p.pointer} ${p.message}`).join('\n')
}

/** Every key the format knows, anywhere. */
function knownKeys (schema: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) for (const s of schema) knownKeys(s, out)
  else if (schema !== null && typeof schema === 'object') {
    for (const [key, value] of Object.entries(schema)) {
      if (key === 'properties' && value !== null && typeof value === 'object') for (const k of Object.keys(value)) out.add(k)
      knownKeys(value, out)
    }
  }
  return out
}
const KNOWN_KEYS = knownKeys(scenarioSchema)

t.test('valid generated scenarios load from YAML and as objects, to the same scenario', async (t) => {
  await checkProperty(t, 'valid documents load', fc.property(validScenarioText, ({ doc, text }) => {
    const fromText = parseChecked(text)
    if (!fromText.ok) throw new Error(`valid document refused:\n${problemText(fromText)}\n--- text\n${text}`)
    const fromObject = fromObjectChecked(doc)
    if (!fromObject.ok) throw new Error(`valid object refused:\n${problemText(fromObject)}`)
    const a = JSON.stringify({ ...fromText.scenario, source: '' })
    const b = JSON.stringify({ ...fromObject.scenario, source: '' })
    if (a !== b) throw new Error(`YAML and object loads differ:\n${a}\n${b}`)
  }), { numRuns: 1500, timeLimitMs: 5_000 })
})

t.test('random YAML-like text never throws; problems are located', async (t) => {
  await checkProperty(t, 'YAML-like text', fc.property(yamlishText, (text) => { parseChecked(text) }), { numRuns: 10_000, timeLimitMs: 3_000 })
})

t.test('binary junk never throws; problems are located', async (t) => {
  await checkProperty(t, 'binary junk', fc.property(binaryJunk, (text) => { parseChecked(text) }), { numRuns: 5000, timeLimitMs: 2_000 })
})

t.test('mutated valid YAML never throws; problems are located', async (t) => {
  const mutated = fc.tuple(validScenarioText, fc.array(textMutation, { minLength: 1, maxLength: 4 }))
    .map(([{ text }, mutations]) => mutations.reduce((s, m) => m(s), text))
  await checkProperty(t, 'mutated YAML', fc.property(mutated, (text) => { parseChecked(text) }), { numRuns: 2500, timeLimitMs: 6_000 })
})

t.test('wrong types, huge numbers and odd values anywhere: located problems, as text and as objects', async (t) => {
  await checkProperty(t, 'wrong values', fc.property(wrongTypeDoc, (doc) => {
    fromObjectChecked(doc)
    // YAML cannot write every JS value the same way (undefined, -0), but the text must still be handled.
    parseChecked(toYaml(doc, { lineWidth: 0 }) ?? '')
  }), { numRuns: 2000, timeLimitMs: 5_000 })
})

t.test('an unknown key anywhere outside free-form values is refused and named', async (t) => {
  await checkProperty(t, 'unknown keys', fc.property(unknownKeyDoc, ({ doc, path, key }) => {
    const result = fromObjectChecked(doc)
    const fromText = parseChecked(toYaml(doc, { lineWidth: 0 }) ?? '')
    // Bodies, queries and header maps take any keys (header maps check names separately).
    const freeForm = path.some((k) => k === 'body' || k === 'query' || k === 'headers')
    if (freeForm || KNOWN_KEYS.has(key)) return
    for (const r of [result, fromText]) {
      if (r.ok) throw new Error(`unknown key ${JSON.stringify(key)} at /${path.join('/')} accepted`)
      if (!r.problems.some((p) => p.message.includes('unknown key'))) throw new Error(`no "unknown key" problem:\n${problemText(r)}`)
    }
  }), { numRuns: 1500, timeLimitMs: 4_000 })
})

t.test('duplicate rule names are refused at the second name, pointing to the first', async (t) => {
  await checkProperty(t, 'duplicate rule names', fc.property(duplicateNamesDoc, ({ doc, first, second }) => {
    for (const r of [fromObjectChecked(doc), parseChecked(toYaml(doc, { lineWidth: 0 }) ?? '')]) {
      if (r.ok) throw new Error('duplicate rule names accepted')
      const p = r.problems.find((x) => x.pointer === `/rules/${second}/name`)
      if (p === undefined || !p.message.includes('duplicate rule name') || !p.message.includes(`/rules/${first}`)) {
        throw new Error(`expected a duplicate-name problem at /rules/${second}/name naming /rules/${first}:\n${problemText(r)}`)
      }
    }
  }), { numRuns: 800, timeLimitMs: 3_000 })
})

t.test('deep nesting, as text and as objects, is refused or loaded without a stack overflow', async (t) => {
  await checkProperty(t, 'deep YAML', fc.property(deepText, (text) => { parseChecked(text) }), { numRuns: 1000, timeLimitMs: 2_000 })
  await checkProperty(t, 'deep objects', fc.property(deepObject, (doc) => { fromObjectChecked(doc) }), { numRuns: 1000, timeLimitMs: 1_000 })
})

t.test('alias bombs and big documents are handled within the limits', async (t) => {
  await checkProperty(t, 'aliases', fc.property(aliasText, (text) => { parseChecked(text) }), { numRuns: 1000, timeLimitMs: 2_000 })
  await checkProperty(t, 'big documents', fc.property(bigText, (text) => { parseChecked(text) }), { numRuns: 20, timeLimitMs: 3_000 })
  const many = `version: 1\nname: many\nrules:\n${Array.from({ length: 101 }, (_, i) => `  - { name: r${i}, status: 503 }`).join('\n')}\n`
  const limited = parseScenario(many, SOURCE, { maxRules: 100 })
  t.notOk(limited.ok, 'a rule count over maxRules is refused')
  t.match(problemText(limited), /too many rules/)
  const large = parseScenario(`version: 1\nname: large\ndescription: "${'x'.repeat(2000)}"\n`, SOURCE, { maxBytes: 1000 })
  t.match(problemText(large), /too large/, 'a text over maxBytes is refused')
})

// ---------------------------------------------------------------------------------------------
// Generated scenarios served: activated on one running server, then driven; and started with.

const KEY = 'ak_live_mock_full_access_0001'

/** A plain HTTP/1.1 request as bytes. */
function requestBytes (method: string, path: string, headers: Record<string, string>, body?: unknown): Buffer {
  const payload = body === undefined ? '' : JSON.stringify(body)
  const all: Record<string, string> = { host: '127.0.0.1', 'x-api-key': KEY, ...headers }
  if (body !== undefined) Object.assign(all, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) })
  const head = Object.entries(all).map(([k, v]) => `${k}: ${v}\r\n`).join('')
  return Buffer.from(`${method} ${path} HTTP/1.1\r\n${head}\r\n${payload}`)
}

const SERVED_REQUESTS: Array<[string, string, unknown]> = [
  ['GET', '/api/v1/tickets?limit=2', undefined],
  ['POST', '/api/v1/tickets', { subject: 'fuzz', description: 'generated scenario', priority: 'urgent' }],
  ['GET', '/api/v1/tickets/1001', undefined],
  ['DELETE', '/api/v1/webhooks/wh_nope', undefined],
  ['GET', '/api/v1/kb/articles', undefined]
]

t.test('generated scenarios activate on a running server, which answers under them and stays up', async (t) => {
  const clock = new ManualClock()
  const server = await serve(t, { clock, config: { rateLimit: 0 } })
  let n = 0
  const servable = validScenario.filter((doc) => knownServeBug(doc) === undefined)
  await checkProperty(t, 'activate and serve', fc.asyncProperty(servable, fc.array(fc.nat({ max: SERVED_REQUESTS.length - 1 }), { minLength: 2, maxLength: 5 }), async (doc, picks) => {
    const session = `fuzz-${++n}`
    const activated = await fetch(`${server.url}/__mock/scenarios/activate?session=${session}`, { method: 'POST', headers: { 'content-type': 'application/yaml' }, body: toYaml(doc) })
    if (activated.status !== 200) throw new Error(`activation refused (${activated.status}): ${await activated.text()}`)
    for (const [i, pick] of picks.entries()) {
      const [method, path, body] = SERVED_REQUESTS[pick]!
      const bytes = requestBytes(method, path, { 'x-mock-session': session, 'idempotency-key': `k-${n}-${i % 2}` }, body)
      const exchange = await settle(clock, sendRaw(server.port, bytes, { method, timeoutMs: 3000 }))
      const problem = servedProblem(exchange, { method, path })
      if (problem !== undefined) throw new Error(`${method} ${path}: ${problem}`)
    }
    const health = await fetch(`${server.url}/__mock/health`)
    if (health.status !== 200) throw new Error(`health answered ${health.status}`)
  }), { numRuns: 300, timeLimitMs: 6_000 })
})

t.test('a server starts with generated scenarios and answers health', async (t) => {
  const startable = validScenario.filter((doc) => knownServeBug(doc) === undefined)
  await checkProperty(t, 'start with', fc.asyncProperty(startable, async (doc) => {
    const server = await startMockServer({ scenario: doc, config: { rateLimit: 0 } })
    try {
      const health = await fetch(`${server.url}/__mock/health`)
      if (health.status !== 200) throw new Error(`health answered ${health.status}`)
      const scenarios = await (await fetch(`${server.url}/__mock/scenarios`)).json() as { default: string }
      if (scenarios.default !== doc.name) throw new Error(`default scenario is ${scenarios.default}, not ${String(doc.name)}`)
    } finally {
      await server.close()
    }
  }), { numRuns: 30, timeLimitMs: 3_000 })
})
