// fast-check arbitraries of scenario documents: valid ones built from the real format (every key
// of the README's reference, within its documented ranges), and broken ones of every kind.

import fc from 'fast-check'
import { stringify } from 'yaml'
import { FAULT_KINDS, type FaultOption } from '../../server/faults/index.js'

type Json = fc.JsonValue
type Doc = Record<string, unknown>

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const
// The fault kinds and their combination rules come from the registry, as the schema's do.
const FAULTS = FAULT_KINDS.map((k) => k.type)
const PASS_FAULTS = FAULT_KINDS.filter((k) => k.withPass).map((k) => k.type)
const COMMIT_FAULTS = FAULT_KINDS.filter((k) => k.withCommit).map((k) => k.type)

/** Omits undefined values, so optional keys are simply absent (as a person would write them). */
function compact (obj: Record<string, unknown>): Doc {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined))
}

/** `arb` with probability `p`, else undefined (an absent key). */
function sometimes<T> (arb: fc.Arbitrary<T>, p = 0.5): fc.Arbitrary<T | undefined> {
  const present = Math.round(p * 100)
  return fc.oneof({ weight: present, arbitrary: arb }, { weight: 100 - present, arbitrary: fc.constant(undefined) })
}

// ---------------------------------------------------------------------------------------------
// Values

/** Any text a person might type, Unicode included. */
export const anyText = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ maxLength: 20, unit: 'grapheme' }),
  fc.string({ maxLength: 10, unit: 'binary' })
)

const durationUnits: Array<[string, number]> = [['ms', 1], ['s', 1000], ['m', 60_000], ['h', 3_600_000]]

/** A duration in ms (0..max) written as the format allows: a number, or "250ms", "1.5s", "2m", "1h". */
export function durationOf (minMs: number, maxMs: number): fc.Arbitrary<{ ms: number; text: number | string }> {
  return fc.tuple(fc.integer({ min: minMs, max: maxMs }), fc.nat({ max: 5 })).map(([ms, how]) => {
    if (how <= 1) return { ms, text: ms }
    // The largest unit that writes it exactly (at most one decimal), else plain ms.
    for (const [unit, size] of [...durationUnits].reverse()) {
      if ((ms * 10) % size === 0 && ms >= size / 10 && how >= 3) return { ms, text: `${ms / size}${unit}` }
    }
    return { ms, text: `${ms}ms` }
  })
}

const duration = durationOf(0, 120_000).map((d) => d.text)
const positiveDuration = durationOf(1, 120_000).map((d) => d.text)

/** Durations near the 2^31-1 ms limit and other big but valid values. */
const bigDuration = fc.constantFrom<number | string>(2_147_483_647, '596h', '35791m', '2147483s', 0, '0ms', '0.5s', '0.1m')

const anyDuration = fc.oneof({ weight: 8, arbitrary: duration }, { weight: 1, arbitrary: bigDuration })

const status = fc.oneof(fc.constantFrom(200, 201, 204, 400, 401, 403, 404, 409, 422, 429, 500, 502, 503, 504), fc.integer({ min: 200, max: 599 }))
const errorStatus = fc.oneof(fc.constantFrom(429, 500, 502, 503, 504), fc.integer({ min: 400, max: 599 }))
const errorCode = fc.stringMatching(/^[a-z][a-z0-9_]{0,20}$/)
/** Response headers that frame the message: the mock owns them and the loader refuses them in a step. */
export const FRAMING_HEADERS: ReadonlySet<string> = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'trailer', 'upgrade'])
const headerName = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,20}$/) },
  // Names the mock or HTTP itself gives a meaning to.
  { weight: 1, arbitrary: fc.constantFrom('Content-Type', 'content-length', 'Transfer-Encoding', 'Connection', 'X-Mock-Fault', 'Idempotent-Replayed', 'Set-Cookie', 'Date', 'Content-Encoding', 'Keep-Alive', 'Trailer', 'Upgrade') }
)
const headerText = fc.string({ maxLength: 30, unit: fc.oneof(fc.constant('\t'), fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), fc.integer({ min: 0x80, max: 0xff }).map((c) => String.fromCharCode(c))) })
const headerValue = fc.oneof(headerText, fc.integer(), fc.boolean())
/** A header map without two names that differ only in case. */
const headerMap = fc.uniqueArray(fc.tuple(headerName, headerValue), { maxLength: 4, selector: ([name]) => name.toLowerCase() })
  .map((entries) => Object.fromEntries(entries))
/** Response headers a step may set. */
const responseHeaderMap = fc.uniqueArray(fc.tuple(headerName.filter((name) => !FRAMING_HEADERS.has(name.toLowerCase())), headerValue), { maxLength: 4, selector: ([name]) => name.toLowerCase() })
  .map((entries) => Object.fromEntries(entries))

const jsonBody: fc.Arbitrary<Json> = fc.jsonValue({ maxDepth: 4 })

const pathSegment = fc.oneof(
  { weight: 6, arbitrary: fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,10}$/) },
  { weight: 2, arbitrary: fc.stringMatching(/^:[a-z_][a-z0-9_]{0,6}$/) },
  { weight: 1, arbitrary: fc.constant('*') }
)
const pathPattern = fc.oneof(
  fc.constantFrom('/api/v1/tickets', '/api/v1/tickets/:id', '/api/v1/**', '/api/v1/kb/*', '/api/v1/users', '/api/v1/tickets/:id/notes', '/'),
  fc.tuple(fc.array(pathSegment, { maxLength: 5 }), fc.constantFrom('', '', '/*', '/**')).map(([segments, rest]) => `/${segments.join('/')}${rest}`)
)

const method = fc.oneof(fc.constantFrom(...METHODS), fc.constantFrom(...METHODS).map((m) => m.toLowerCase()))

const match = fc.record({
  method: sometimes(fc.oneof(method, fc.uniqueArray(method, { minLength: 1, maxLength: 3 }))),
  path: sometimes(pathPattern, 0.6),
  query: sometimes(fc.dictionary(fc.stringMatching(/^[a-z_]{1,10}$/), fc.oneof(anyText, fc.integer(), fc.boolean()), { maxKeys: 3 }), 0.1),
  headers: sometimes(headerMap, 0.1),
  apiKey: sometimes(fc.oneof(fc.constant('ak_live_mock_full_access_0001'), fc.string({ minLength: 1, maxLength: 40 }), fc.array(fc.string({ minLength: 1, maxLength: 40 }), { minLength: 1, maxLength: 3 })), 0.15),
  body: sometimes(jsonBody, 0.1)
}).map(compact)

const latency = fc.oneof(
  anyDuration,
  fc.tuple(durationOf(0, 5_000), fc.integer({ min: 0, max: 5_000 })).chain(([min, extra]) =>
    durationOf(min.ms + extra, min.ms + extra).map((max) => ({ min: min.text, max: max.text })))
)

/** A valid value of a fault option, by its type (counts up to a million). */
function optionValue (option: FaultOption): fc.Arbitrary<Json> {
  switch (option.type) {
    case 'duration': return anyDuration
    case 'fraction': return fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 1))
    case 'count': return fc.integer({ min: 1, max: 1_000_000 })
  }
}

function faultOf (types: readonly string[]): fc.Arbitrary<string | Doc> {
  return fc.constantFrom(...types).chain((type): fc.Arbitrary<string | Doc> => {
    const kind = FAULT_KINDS.find((k) => k.type === type)
    const options = fc.record(Object.fromEntries(Object.entries(kind?.options ?? {}).map(([key, option]) => [key, sometimes(optionValue(option))])))
    return fc.oneof(fc.constant(type), options.map((o) => compact({ type, ...o })))
  })
}

const details = fc.array(fc.record({ field: anyText, message: anyText }), { minLength: 1, maxLength: 3 })
const retryAfter = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 3600 }) },
  { weight: 3, arbitrary: durationOf(0, 3_600_000).map((d) => d.text) },
  // The largest the format allows: a year.
  { weight: 1, arbitrary: fc.constantFrom(86_400 * 365, 31_536_000, '596h', '35791m') }
)

/** The keys of an answering step (status and what may come with it). */
const statusFields = fc.record({
  status,
  error: sometimes(errorCode, 0.3),
  message: sometimes(anyText, 0.3),
  details: sometimes(details, 0.2),
  retryAfter: sometimes(retryAfter, 0.4),
  headers: sometimes(responseHeaderMap, 0.25),
  body: sometimes(jsonBody, 0.2),
  latency: sometimes(latency, 0.2),
  commit: sometimes(fc.boolean(), 0.2),
  fault: sometimes(faultOf(FAULTS), 0.2)
}).map(compact)

/** Every valid shape of step keys (without `times`, which only sequences have). */
const stepFields: fc.Arbitrary<Doc> = fc.oneof(
  statusFields,
  fc.record({ status: errorStatus, retryAfter }).map(compact),
  fc.record({ pass: fc.constant(true), latency: sometimes(latency, 0.3), fault: sometimes(faultOf(PASS_FAULTS)) }).map(compact),
  fc.record({ fault: faultOf(FAULTS), latency: sometimes(latency, 0.2) }).map(compact),
  fc.record({ fault: faultOf(COMMIT_FAULTS), commit: fc.constant(true) }),
  fc.record({ latency }),
  fc.record({ body: jsonBody, latency: sometimes(latency, 0.2) }).map(compact)
)

const step: fc.Arbitrary<string | Doc> = fc.oneof(
  { weight: 1, arbitrary: fc.constant('pass') },
  { weight: 4, arbitrary: fc.tuple(stepFields, sometimes(fc.integer({ min: 1, max: 5 }))).map(([fields, times]) => compact({ times, ...fields })) }
)

const flap = fc.record({
  up: positiveDuration,
  down: positiveDuration,
  statuses: sometimes(fc.array(status, { minLength: 1, maxLength: 4 })),
  retryAfter: sometimes(fc.boolean()),
  startDown: sometimes(fc.boolean())
}).map(compact)

const window = fc.oneof(
  fc.record({ start: sometimes(duration) }).map(compact),
  fc.tuple(durationOf(0, 60_000), fc.integer({ min: 1, max: 60_000 })).chain(([start, gap]) =>
    durationOf(start.ms + gap, start.ms + gap).map((end) => ({ start: start.text, end: end.text }))),
  durationOf(1, 60_000).map((end) => ({ end: end.text }))
)

const ruleName = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/) },
  { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 20, unit: 'grapheme' }) },
  { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 30 }) }
)

const how: fc.Arbitrary<Doc> = fc.oneof(
  fc.record({ sequence: fc.array(step, { minLength: 1, maxLength: 4 }), repeat: sometimes(fc.boolean()) }).map(compact),
  fc.record({ flap }),
  stepFields
)

export const rule: fc.Arbitrary<Doc> = fc.tuple(
  fc.record({
    description: sometimes(anyText, 0.3),
    match: sometimes(match, 0.6),
    after: sometimes(fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constant(Number.MAX_SAFE_INTEGER)), 0.3),
    chance: sometimes(fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 1, 0.5)), 0.3),
    window: sometimes(window, 0.2)
  }).map(compact),
  how
).map(([base, answer]) => ({ ...base, ...answer }))

/** A valid scenario document (as data), with unique rule names. */
export const validScenario: fc.Arbitrary<Doc> = fc.record({
  name: fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,30}$/),
  description: sometimes(anyText),
  seed: sometimes(fc.oneof(fc.nat(), fc.constant(4_294_967_295))),
  rateLimit: sometimes(fc.record({ max: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 1000 })), window: sometimes(positiveDuration) }).map(compact), 0.2),
  rules: sometimes(fc.uniqueArray(fc.tuple(ruleName, rule), { maxLength: 6, selector: ([name]) => name })
    .map((rules) => rules.map(([name, r]) => ({ name, ...r }))), 0.9)
}).map((doc) => compact({ version: 1, ...doc }))

/** A valid scenario as YAML text, in block style, flow style or JSON (which is YAML too). */
export const validScenarioText: fc.Arbitrary<{ doc: Doc; text: string }> = fc.tuple(validScenario, fc.constantFrom('block', 'flow', 'json', 'block-comments')).map(([doc, style]) => {
  const text = style === 'json'
    ? JSON.stringify(doc, null, 2)
    : style === 'flow'
      ? stringify(doc, { collectionStyle: 'flow', lineWidth: 0 })
      : style === 'block-comments'
        ? `# yaml-language-server: $schema=./scenario.schema.json\n---\n${stringify(doc)}...\n`
        : stringify(doc)
  return { doc, text }
})

// ---------------------------------------------------------------------------------------------
// Broken documents

/** Pieces of YAML syntax, so random text reaches deep into the parser. */
const yamlToken = fc.oneof(
  fc.constantFrom(
    '\n', '\n', '  ', '    ', '- ', ': ', '? ', '{', '}', '[', ']', ', ', '"', "'", '#', '|', '>', '|-', '>+', '&a ', '*a', '&b ', '*b',
    '<<: *a', '!!str ', '!!int ', '!!binary ', '!!set ', '!!omap ', '!!timestamp ', '!!float ', '!custom ', '!<tag:x> ', '---\n', '...\n',
    '%YAML 1.2\n', '%TAG ! tag:x:\n', '\t', '\r\n', '\\', '\\u0000', '\u0000', '\uFEFF', '\uFFFD', '\uD800', 'version', 'name', 'rules', 'match',
    'sequence', 'flap', 'status', 'fault', 'latency', 'times', 'retryAfter', 'window', 'pass', 'commit', 'body', 'headers', 'expect',
    '1', '-1', '0x1F', '0o17', '1e400', '-1e400', '.inf', '-.inf', '.nan', '~', 'null', 'true', 'yes', 'no', '2026-01-01', '1:30', '9'.repeat(40),
    '250ms', '1.5s', '1m', '1h', '2147483648', '-0', 'version: 1\n', 'name: x\n', 'rules:\n'
  ),
  fc.string({ maxLength: 8 })
)

export const yamlishText: fc.Arbitrary<string> = fc.array(yamlToken, { maxLength: 60 }).map((tokens) => tokens.join(''))

/** Bytes from nowhere, decoded as a file loader would (UTF-8 with replacement) or byte by byte. */
export const binaryJunk: fc.Arbitrary<string> = fc.tuple(fc.uint8Array({ maxLength: 400 }), fc.boolean()).map(([bytes, utf8]) =>
  Buffer.from(bytes).toString(utf8 ? 'utf8' : 'latin1'))

export type Mutation = (text: string) => string

/** Text mutations: cut, insert, duplicate, swap, re-indent, retype a scalar. */
export const textMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.nat(), fc.nat({ max: 20 })).map(([at, n]): Mutation => (s) => { const i = at % (s.length + 1); return s.slice(0, i) + s.slice(i + n) }),
  fc.tuple(fc.nat(), yamlToken).map(([at, token]): Mutation => (s) => { const i = at % (s.length + 1); return s.slice(0, i) + token + s.slice(i) }),
  fc.tuple(fc.nat(), fc.nat()).map(([a, b]): Mutation => (s) => {
    const lines = s.split('\n')
    const i = a % lines.length
    const j = b % lines.length
    const li = lines[i] ?? ''
    lines[i] = lines[j] ?? ''
    lines[j] = li
    return lines.join('\n')
  }),
  fc.nat().map((a): Mutation => (s) => { const lines = s.split('\n'); const i = a % lines.length; lines.splice(i, 0, lines[i] ?? ''); return lines.join('\n') }),
  fc.tuple(fc.nat(), fc.integer({ min: -4, max: 4 })).map(([a, d]): Mutation => (s) => {
    const lines = s.split('\n')
    const i = a % lines.length
    const line = lines[i] ?? ''
    lines[i] = d >= 0 ? ' '.repeat(d) + line : line.replace(new RegExp(`^ {0,${-d}}`), '')
    return lines.join('\n')
  }),
  fc.tuple(fc.nat(), yamlToken).map(([a, token]): Mutation => (s) => {
    // Replace the value after some ": " with a token.
    const spots = [...s.matchAll(/: [^\n]*/g)]
    if (spots.length === 0) return s
    const spot = spots[a % spots.length]!
    const at = (spot.index ?? 0) + 2
    return s.slice(0, at) + token + s.slice(at + spot[0].length - 2)
  })
)

/** A pointer to somewhere inside a document (an object key or an array index), chosen by `pick`. */
function pathsOf (value: unknown, prefix: Array<string | number> = [], out: Array<Array<string | number>> = []): Array<Array<string | number>> {
  out.push(prefix)
  if (Array.isArray(value)) value.forEach((v, i) => pathsOf(v, [...prefix, i], out))
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) pathsOf(v, [...prefix, k], out)
  return out
}

function setAt (root: unknown, path: Array<string | number>, value: unknown): unknown {
  if (path.length === 0) return value
  const [head, ...rest] = path
  if (Array.isArray(root)) return root.map((v, i) => (i === head ? setAt(v, rest, value) : v))
  if (root !== null && typeof root === 'object') {
    const copy: Record<string, unknown> = { ...(root as Record<string, unknown>) }
    copy[String(head)] = setAt(copy[String(head)], rest, value)
    return copy
  }
  return root
}

/** Values of the wrong type, out of range, or extreme. */
export const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, '', ' ', -1, 0, 1.5, -0.5, 1e308, -1e308, 2 ** 53 + 2, Number.MAX_SAFE_INTEGER, 4_294_967_296, 99_999_999_999,
    '1e400', 'NaN', 'Infinity', '-1s', '1d', '1.5.5s', '99999999999999999999h', [], {}, [[]], [{}], { type: 'nope' }, 'pass ', 'PASS', 600, 99, 1000),
  fc.jsonValue({ maxDepth: 3 }),
  fc.double(),
  anyText
)

/** A valid document with one value somewhere replaced by a wrong one. */
export const wrongTypeDoc: fc.Arbitrary<unknown> = fc.tuple(validScenario, fc.nat(), wrongValue).map(([doc, pick, value]) => {
  const paths = pathsOf(doc)
  return setAt(doc, paths[pick % paths.length] ?? [], value)
})

/** A valid document with an unknown key added to one of its mappings; says where. */
export const unknownKeyDoc: fc.Arbitrary<{ doc: unknown; path: Array<string | number>; key: string }> = fc.tuple(validScenario, fc.nat(), fc.oneof(
  fc.constantFrom('stauts', 'retry_after', 'Status', 'times ', 'sequnce', 'flapp', 'macth', 'x', '__proto__', 'constructor', 'toString', '', '0'),
  fc.string({ maxLength: 12 })
), wrongValue).map(([doc, pick, key, value]) => {
  const nodeAt = (path: Array<string | number>): unknown => path.reduce<unknown>((node, k) => (node as Record<string | number, unknown>)[k], doc)
  const mappings = pathsOf(doc).filter((p) => {
    const node = nodeAt(p)
    return node !== null && typeof node === 'object' && !Array.isArray(node)
  })
  const path = mappings[pick % mappings.length] ?? []
  const extended: Record<string, unknown> = { ...(nodeAt(path) as Record<string, unknown>) }
  // defineProperty, so "__proto__" becomes an own key as YAML would make it.
  Object.defineProperty(extended, key, { value, enumerable: true, configurable: true, writable: true })
  return { doc: setAt(doc, path, extended), path, key }
})

/** A valid document with at least two rules of the same name. */
export const duplicateNamesDoc: fc.Arbitrary<{ doc: Doc; first: number; second: number }> = fc.tuple(
  validScenario, rule, rule, fc.nat(), fc.nat()
).map(([doc, a, b, i, j]) => {
  const rules = [...((doc.rules as Doc[] | undefined) ?? [])]
  const name = rules[0]?.name ?? 'twin'
  const first = i % (rules.length + 1)
  rules.splice(first, 0, { ...a, name })
  const second = Math.max(first + 1, (j % (rules.length + 1)))
  rules.splice(second, 0, { ...b, name })
  // The earliest rule of that name is where "already used by" points.
  const firstIndex = rules.findIndex((r) => r.name === name)
  const secondIndex = rules.findIndex((r, k) => k > firstIndex && r.name === name)
  return { doc: { ...doc, rules }, first: firstIndex, second: secondIndex }
})

/** Nesting `depth` levels deep in one of several YAML ways, at the top or inside a rule. */
export const deepText: fc.Arbitrary<string> = fc.tuple(fc.integer({ min: 1, max: 3000 }), fc.constantFrom('flow-seq', 'flow-map', 'block-seq', 'block-map', 'mixed'), fc.boolean()).map(([depth, kind, inRule]) => {
  let nested: string
  switch (kind) {
    case 'flow-seq': nested = '['.repeat(depth) + '1' + ']'.repeat(depth); break
    case 'flow-map': nested = '{a: '.repeat(depth) + '1' + '}'.repeat(depth); break
    case 'block-seq': nested = '\n' + Array.from({ length: Math.min(depth, 400) }, (_, i) => ' '.repeat(i) + '-').join('\n') + ' 1'; break
    case 'block-map': nested = '\n' + Array.from({ length: Math.min(depth, 400) }, (_, i) => ' '.repeat(i) + 'k:').join('\n') + ' 1'; break
    default: nested = '- ' + '[{a: '.repeat(depth) + '1' + '}]'.repeat(depth)
  }
  return inRule
    ? `version: 1\nname: deep\nrules:\n  - name: r\n    status: 503\n    body: ${nested.replaceAll('\n', '\n      ')}\n`
    : `version: 1\nname: deep\ndescription: ${nested}\n`
})

/** A deeply nested object (not text): for scenarioFromObject. */
export const deepObject: fc.Arbitrary<Doc> = fc.tuple(fc.integer({ min: 1, max: 5000 }), fc.constantFrom('body', 'match-body', 'description', 'rules')).map(([depth, where]) => {
  let nested: unknown = 1
  for (let i = 0; i < depth; i++) nested = i % 2 === 0 ? [nested] : { a: nested }
  switch (where) {
    case 'body': return { version: 1, name: 'deep', rules: [{ name: 'r', status: 200, body: nested }] }
    case 'match-body': return { version: 1, name: 'deep', rules: [{ name: 'r', match: { body: nested }, status: 503 }] }
    case 'description': return { version: 1, name: 'deep', description: nested }
    default: return { version: 1, name: 'deep', rules: nested }
  }
})

/** Billion-laughs style alias expansion, and aliases in odd places. */
export const aliasText: fc.Arbitrary<string> = fc.tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 2, max: 10 })).map(([levels, fan]) => {
  const lines = ['a0: &a0 [lol]']
  for (let i = 1; i <= levels; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: fan }, () => `*a${i - 1}`).join(', ')}]`)
  return `version: 1\nname: laughs\n${lines.join('\n')}\nrules:\n  - name: r\n    status: 503\n    body: *a${levels}\n`
})

/** Large but plausible documents: many rules, long strings, many keys. */
export const bigText: fc.Arbitrary<string> = fc.tuple(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 200_000 }), fc.boolean()).map(([rules, longString, duplicate]) => {
  const lines = ['version: 1', 'name: big', `description: "${'x'.repeat(longString)}"`, 'rules:']
  for (let i = 0; i < rules; i++) lines.push(`  - { name: r${duplicate ? i % 7 : i}, status: 503 }`)
  return lines.join('\n') + '\n'
})

export { stringify as toYaml }
