// The scenario loader: YAML → normalised Scenario, or every problem with its line, column, pointer and message.

import { readFile, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { MAX_DURATION_MS, parseDuration, tryParseDuration } from '../../server/scenario/duration.js'
import {
  DEFAULT_FLAP_STATUSES, DEFAULT_MAX_RULES, DEFAULT_MAX_SCENARIO_BYTES, DEFAULT_RATE_LIMIT_WINDOW_MS,
  formatProblem, loadScenarioFile, parseScenario, scenarioFromObject, type LoadResult, type Problem,
} from '../../server/scenario/load/index.js'
import { FAULT_KINDS } from '../../server/faults/index.js'
import { scenarioSchema } from '../../server/scenario/schema.js'
import type { Scenario } from '../../server/scenario/types.js'

const FILE = 's.yaml'

/** YAML text, one argument per line, so expected line numbers can be read off the call. */
function lines (...text: string[]): string {
  return `${text.join('\n')}\n`
}

function scenarioOf (t: Test, result: LoadResult): Scenario {
  if (!result.ok) {
    t.fail(`expected a scenario, got:\n${result.problems.map(formatProblem).join('\n')}`)
    throw new Error('not ok')
  }
  return result.scenario
}

function problemsOf (t: Test, result: LoadResult): Problem[] {
  if (result.ok) {
    t.fail('expected problems, got a scenario')
    return []
  }
  return result.problems
}

const at = (line: number, column: number, pointer: string, message: string, file = FILE): Problem =>
  ({ file, line, column, message, pointer })

/** The one rule of a scenario whose rules are given as YAML lines (rule lines start at line 4). */
function ruleText (...rule: string[]): string {
  return lines('version: 1', 'name: one-rule', 'rules:', ...rule)
}

function hasUndefined (value: unknown): boolean {
  if (value === undefined) return true
  if (typeof value !== 'object' || value === null) return false
  return Object.values(value).some(hasUndefined)
}

t.test('durations', async (t) => {
  t.equal(parseDuration('250ms'), 250)
  t.equal(parseDuration('2s'), 2000)
  t.equal(parseDuration('1.5s'), 1500)
  t.equal(parseDuration('1.1s'), 1100, 'no floating-point drift')
  t.equal(parseDuration('1m'), 60_000)
  t.equal(parseDuration('1h'), 3_600_000)
  t.equal(parseDuration(0), 0)
  t.equal(parseDuration(12.6), 13, 'a number is ms, rounded')
  t.equal(parseDuration('0.4ms'), 0)
  for (const bad of ['5 parsecs', '-1s', '1e3s', '2 s', '', 's', '1.s', '1d']) {
    t.equal(tryParseDuration(bad), undefined, `${JSON.stringify(bad)} is not a duration`)
    t.throws(() => parseDuration(bad), RangeError)
  }
  for (const bad of [-1, Number.NaN, Infinity, null, {}, true]) t.equal(tryParseDuration(bad), undefined)
  t.throws(() => parseDuration('597h'), /longer than 2147483647ms/)
  t.equal(parseDuration(MAX_DURATION_MS), MAX_DURATION_MS)
  t.equal(tryParseDuration(`${'9'.repeat(400)}s`), Infinity, 'absurd lengths are left to the range check')
})

t.test('the smallest scenario gets the defaults', async (t) => {
  const s = scenarioOf(t, parseScenario('version: 1\nname: empty\n', 'empty.yaml'))
  t.strictSame(s, { version: 1, name: 'empty', rules: [], source: 'empty.yaml' })
})

t.test('every feature parses to the exact normalised scenario', async (t) => {
  const text = lines(
    '# yaml-language-server: $schema=./scenario.schema.json',
    'version: 1',
    'name: ticket-create-storm',
    'description: Everything at once',
    'seed: 42',
    'rateLimit: { max: 10, window: 30s }',
    'rules:',
    '  - name: create-429',
    '    description: three 429s, then through',
    '    match:',
    '      method: [post, Put, POST]',
    '      path: /api/v1/tickets/:id',
    '      query: { status: open, page: 2, draft: false }',
    '      headers: { X-Client: a }',
    '      apiKey: ak_live_x',
    '      body: { priority: urgent, tags: [a] }',
    '    after: 5',
    '    chance: 0.1',
    '    window: { start: 10s, end: 40s }',
    '    sequence:',
    '      - { times: 3, status: 429, retryAfter: 2 }',
    '      - pass',
    '      - { status: 503, retryAfter: 1500ms, error: maintenance, message: Down, headers: { X-Reason: deploy } }',
    '    repeat: true',
    '  - name: flapping',
    '    match: { method: GET, apiKey: [k1, k2] }',
    '    window: { end: 1m }',
    '    flap: { up: 4s, down: 2s, statuses: [503, 500], retryAfter: false, startDown: true }',
    '  - name: inline',
    '    status: 422',
    '    error: validation_failed',
    '    message: Invalid',
    '    details: [{ field: title, message: required }]',
    '    latency: { min: 100ms, max: 1.5s }',
    '  - name: flap-defaults',
    '    flap: { up: 1s, down: 500 }',
  )
  const s = scenarioOf(t, parseScenario(text, 'storm.yaml'))
  t.strictSame(s, {
    version: 1,
    name: 'ticket-create-storm',
    description: 'Everything at once',
    seed: 42,
    rateLimit: { max: 10, windowMs: 30_000 },
    rules: [
      {
        name: 'create-429',
        description: 'three 429s, then through',
        match: {
          methods: ['POST', 'PUT'],
          path: '/api/v1/tickets/:id',
          query: { status: 'open', page: '2', draft: 'false' },
          headers: { 'x-client': 'a' },
          apiKeys: ['ak_live_x'],
          body: { priority: 'urgent', tags: ['a'] },
        },
        after: 5,
        chance: 0.1,
        window: { startMs: 10_000, endMs: 40_000 },
        steps: [
          { times: 3, pass: false, status: 429, retryAfter: 2, commit: false },
          { times: 1, pass: true, commit: false },
          { pass: false, status: 503, error: 'maintenance', message: 'Down', retryAfter: 2, headers: { 'x-reason': 'deploy' }, commit: false },
        ],
        repeat: true,
      },
      {
        name: 'flapping',
        match: { methods: ['GET'], apiKeys: ['k1', 'k2'] },
        after: 0,
        window: { startMs: 0, endMs: 60_000 },
        repeat: false,
        flap: { upMs: 4000, downMs: 2000, statuses: [503, 500], retryAfter: false, startDown: true },
      },
      {
        name: 'inline',
        match: {},
        after: 0,
        repeat: false,
        steps: [{
          pass: false,
          status: 422,
          error: 'validation_failed',
          message: 'Invalid',
          details: [{ field: 'title', message: 'required' }],
          latency: { minMs: 100, maxMs: 1500 },
          commit: false,
        }],
      },
      {
        name: 'flap-defaults',
        match: {},
        after: 0,
        repeat: false,
        flap: { upMs: 1000, downMs: 500, statuses: [503], retryAfter: true, startDown: false },
      },
    ],
    source: 'storm.yaml',
  })
  t.notOk(hasUndefined(s), 'optional properties are left out, never undefined')
})

t.test('steps: shorthands, defaults and fault options', async (t) => {
  const text = ruleText(
    '  - name: latency-only',
    '    latency: 200',
    '  - name: body-only',
    '    body: { ok: true }',
    '  - name: faults',
    '    sequence:',
    '      - { fault: reset }',
    '      - { fault: timeout }',
    '      - { fault: { type: timeout, hold: 2s } }',
    '      - { fault: truncate, pass: true }',
    '      - { fault: { type: truncate, keep: 0.25 }, status: 200, body: { a: 1 } }',
    '      - { fault: { type: drip }, pass: true, latency: 50ms }',
    '      - { fault: { type: drip, chunk: 4, every: 1s } }',
    '      - { fault: empty, commit: true }',
    '      - { status: 201, commit: true }',
    '      - { fault: malformed, pass: true, times: 2 }',
    '      - { status: 429, retryAfter: 1m, times: 5 }',
    '  - name: last-pass',
    '    sequence: [{ status: 500 }, pass]',
    '  - name: retry-after-rounds-up',
    '    status: 503',
    '    retryAfter: 1001ms',
  )
  const rules = scenarioOf(t, parseScenario(text, FILE)).rules
  t.strictSame(rules.map((r) => r.steps), [
    [{ pass: true, latency: { minMs: 200, maxMs: 200 }, commit: false }],
    [{ pass: false, status: 200, body: { ok: true }, commit: false }],
    [
      { times: 1, pass: false, fault: { type: 'reset' }, commit: false },
      { times: 1, pass: false, fault: { type: 'timeout', holdMs: 30_000 }, commit: false },
      { times: 1, pass: false, fault: { type: 'timeout', holdMs: 2000 }, commit: false },
      { times: 1, pass: true, fault: { type: 'truncate', keep: 0.5 }, commit: false },
      { times: 1, pass: false, status: 200, body: { a: 1 }, fault: { type: 'truncate', keep: 0.25 }, commit: false },
      { times: 1, pass: true, latency: { minMs: 50, maxMs: 50 }, fault: { type: 'drip', chunkBytes: 16, everyMs: 100 }, commit: false },
      { times: 1, pass: false, fault: { type: 'drip', chunkBytes: 4, everyMs: 1000 }, commit: false },
      { times: 1, pass: false, fault: { type: 'empty' }, commit: true },
      { times: 1, pass: false, status: 201, commit: true },
      { times: 2, pass: true, fault: { type: 'malformed' }, commit: false },
      { times: 5, pass: false, status: 429, retryAfter: 60, commit: false },
    ],
    [
      { times: 1, pass: false, status: 500, commit: false },
      { pass: true, commit: false },
    ],
    [{ pass: false, status: 503, retryAfter: 2, commit: false }],
  ])
})

t.test('the expect block is normalised with the guidance defaults', async (t) => {
  const s = scenarioOf(t, parseScenario(lines('version: 1', 'name: graded', 'expect: { maxAttempts: 6, jitter: false }'), FILE))
  t.equal(s.expect?.maxAttempts, 6)
  t.equal(s.expect?.jitter, false)
  t.equal(s.expect?.backoff, true)
  t.strictSame(s.expect?.retryableStatuses, [429, 500, 502, 503, 504])
  t.strictSame(
    problemsOf(t, parseScenario(lines('version: 1', 'name: graded', 'expect: { maxAtempts: 6, retryableStatuses: [429, 503, 429] }'), FILE)),
    [
      at(3, 11, '/expect/maxAtempts', 'unknown key "maxAtempts" (did you mean "maxAttempts"?)'),
      at(3, 45, '/expect/retryableStatuses', 'must not repeat a value (items 0 and 2 are equal)'),
    ],
  )
})

t.test('every bundled scenario loads', async (t) => {
  const dir = new URL('../../scenarios/', import.meta.url)
  const files = (await readdir(dir)).filter((f) => f.endsWith('.yaml'))
  t.ok(files.length > 0)
  for (const file of files) {
    const result = await loadScenarioFile(join(dir.pathname, file))
    t.ok(result.ok, `${file}: ${result.ok ? 'ok' : result.problems.map(formatProblem).join('; ')}`)
  }
})

t.test('unknown keys point at the key, name it, and suggest a near known key', async (t) => {
  const text = lines(
    'version: 1',
    'name: typos',
    'rule: []',
    'retryafter: 3',
    'rules:',
    '  - name: a',
    '    stauts: 502',
    '  - name: b',
    '    match: { headrs: { a: b } }',
    '    sequence:',
    '      - { status: 429, retryafter: 2 }',
    '  - name: c',
    '    fault: { type: drip, chunks: 4 }',
    '  - name: d',
    '    status: 500',
    '    x: 1',
  )
  t.strictSame(problemsOf(t, parseScenario(text, FILE)), [
    at(3, 1, '/rule', 'unknown key "rule" (did you mean "rules"?)'),
    at(4, 1, '/retryafter', 'unknown key "retryafter"'),
    at(7, 5, '/rules/0/stauts', 'unknown key "stauts" (did you mean "status"?)'),
    at(9, 14, '/rules/1/match/headrs', 'unknown key "headrs" (did you mean "headers"?)'),
    at(11, 24, '/rules/1/sequence/0/retryafter', 'unknown key "retryafter" (did you mean "retryAfter"?)'),
    at(13, 26, '/rules/2/fault/chunks', 'unknown key "chunks" (did you mean "chunk"?)'),
    at(16, 5, '/rules/3/x', 'unknown key "x"'),
  ])
})

t.test('wrong types and out-of-range numbers get short messages at the value', async (t) => {
  const text = lines(
    'version: 2',
    'name: Bad Name',
    'seed: 1e100',
    'rateLimit: { max: -1 }',
    'rules:',
    '  - name: a',
    '    after: -1',
    '    chance: 2',
    '    repeat: yes',
    '    match: []',
    '    sequence:',
    '      - { status: "abc", times: 0 }',
    '      - { status: 1e999 }',
    '      - { fault: explode }',
    '      - { fault: { type: explode } }',
    '      - { fault: { type: truncate, keep: 1.5 } }',
    '      - 42',
    '      - { pass: false }',
    '  - name: ""',
    '    status: 500',
    '    headers: { "bad name": x }',
    '    details: []',
  )
  t.strictSame(problemsOf(t, parseScenario(text, FILE)), [
    at(1, 10, '/version', 'must be 1'),
    at(2, 7, '/name', 'must be a lower-case name of at most 100 characters: letters, digits, ".", "_" and "-", starting with a letter or digit'),
    at(3, 7, '/seed', 'must be an integer between 0 and 4294967295'),
    at(4, 19, '/rateLimit/max', 'must be an integer >= 0'),
    at(7, 12, '/rules/0/after', 'must be an integer >= 0'),
    at(8, 13, '/rules/0/chance', 'must be a number between 0 and 1'),
    at(9, 13, '/rules/0/repeat', 'must be true or false'),
    at(10, 12, '/rules/0/match', 'must be a mapping'),
    at(12, 19, '/rules/0/sequence/0/status', 'must be an integer between 200 and 599'),
    at(12, 33, '/rules/0/sequence/0/times', 'must be an integer >= 1'),
    at(13, 19, '/rules/0/sequence/1/status', 'must be an integer between 200 and 599'),
    at(14, 18, '/rules/0/sequence/2/fault', 'must be one of: reset, timeout, empty, truncate, malformed, drip'),
    at(15, 26, '/rules/0/sequence/3/fault/type', 'must be one of: reset, timeout, empty, truncate, malformed, drip'),
    at(16, 42, '/rules/0/sequence/4/fault/keep', 'must be a number between 0 and 1'),
    at(17, 9, '/rules/0/sequence/5', 'must be "pass" or a step mapping'),
    at(18, 17, '/rules/0/sequence/6/pass', 'must be true'),
    at(19, 11, '/rules/1/name', 'must be a non-empty string of at most 100 characters'),
    at(21, 16, '/rules/1/headers/bad name', 'must be a valid header name (letters, digits and !#$%&\'*+-.^_`|~)'),
    at(22, 14, '/rules/1/details', 'must not be empty'),
  ])
})

t.test('bad and out-of-range durations', async (t) => {
  const text = ruleText(
    '  - name: a',
    '    flap: { up: 5 parsecs, down: -1 }',
    '  - name: b',
    '    latency: fast',
    '  - name: c',
    '    latency: 600h',
    '  - name: d',
    '    status: 503',
    '    retryAfter: soon',
    '  - name: e',
    '    window: { start: 10s, end: 5s }',
    '    latency: { min: 2s, max: 1s }',
    '  - name: f',
    '    flap: { up: 0s, down: 1s }',
  )
  const duration = 'must be a duration such as 250ms, 2s, 1.5s, 1m or 1h (a bare number is milliseconds)'
  t.strictSame(problemsOf(t, parseScenario(text, FILE)), [
    at(5, 17, '/rules/0/flap/up', duration),
    at(5, 34, '/rules/0/flap/down', duration),
    at(7, 14, '/rules/1/latency', 'must be a duration (such as 200ms or 1.5s) or a mapping with min and max'),
    at(9, 14, '/rules/2/latency', 'must be at most 2147483647ms (about 24.8 days)'),
    at(12, 17, '/rules/3/retryAfter', 'must be a whole number of seconds (at most a year), or a duration such as 1500ms, 2s or 1m'),
    at(14, 32, '/rules/4/window/end', 'must be later than start'),
    at(15, 30, '/rules/4/latency/max', 'must not be shorter than min'),
    at(17, 17, '/rules/5/flap/up', 'must be longer than 0'),
  ])
})

t.test('duplicate rule names point at the second name', async (t) => {
  const text = ruleText('  - name: same', '    status: 500', '  - name: other', '    status: 500', '  - name: same', '    status: 503')
  t.strictSame(problemsOf(t, parseScenario(text, FILE)), [
    at(8, 11, '/rules/2/name', 'duplicate rule name "same" (already used by /rules/0)'),
  ])
})

t.test('rules need exactly one of sequence, flap, or an inline step', async (t) => {
  const text = ruleText(
    '  - name: nothing',
    '    match: { method: GET }',
    '  - name: two',
    '    sequence: [pass]',
    '    flap: { up: 1s, down: 1s }',
    '  - name: three',
    '    status: 500',
    '    sequence: [pass]',
    '  - name: commit-only',
    '    commit: true',
    '  - name: repeat-without-sequence',
    '    flap: { up: 1s, down: 1s }',
    '    repeat: true',
  )
  t.strictSame(problemsOf(t, parseScenario(text, FILE)), [
    at(4, 5, '/rules/0', 'rule needs one of sequence, flap, or a step (status, fault, latency, pass)'),
    at(8, 5, '/rules/1/flap', '"flap" cannot be combined with "sequence": a rule takes one of sequence, flap, or step keys'),
    at(11, 5, '/rules/2/sequence', '"sequence" cannot be combined with "status": a rule takes one of sequence, flap, or step keys'),
    at(12, 5, '/rules/3', 'rule needs one of sequence, flap, or a step (status, fault, latency, pass)'),
    at(16, 5, '/rules/4/repeat', '"repeat" needs "sequence"'),
  ])
})

t.test('pass and commit misuse in a schema-valid rule', async (t) => {
  const text = ruleText(
    '  - name: steps',
    '    sequence:',
    '      - { pass: true, status: 500 }',
    '      - { pass: true, fault: reset }',
    '      - { pass: true, body: {}, commit: true }',
    '      - { body: { a: 1 }, commit: true }',
    '      - { fault: malformed, commit: true }',
    '      - { times: 2 }',
    '      - { fault: { type: timeout, keep: 0.5 } }',
    '      - { fault: { type: reset, hold: 1s } }',
    '  - name: ok',
    '    pass: true',
    '    fault: truncate',
  )
  t.strictSame(problemsOf(t, parseScenario(text, FILE)), [
    at(6, 23, '/rules/0/sequence/0/status', '"status" cannot be combined with "pass"'),
    at(7, 30, '/rules/0/sequence/1/fault', 'fault reset cannot be combined with "pass" (only truncate, malformed or drip can)'),
    at(8, 23, '/rules/0/sequence/2/body', '"body" cannot be combined with "pass"'),
    at(8, 33, '/rules/0/sequence/2/commit', '"commit" cannot be combined with "pass"'),
    at(9, 27, '/rules/0/sequence/3/commit', '"commit" needs "status" or a fault of type reset, timeout, empty or truncate'),
    at(10, 29, '/rules/0/sequence/4/commit', '"commit" needs "status" or a fault of type reset, timeout, empty or truncate'),
    at(11, 9, '/rules/0/sequence/5', 'step does nothing: give it status, fault, latency, body or pass'),
    at(12, 35, '/rules/0/sequence/6/fault/keep', '"keep" does not apply to fault type timeout (it takes hold)'),
    at(13, 33, '/rules/0/sequence/7/fault/hold', '"hold" does not apply to fault type reset (it takes no options)'),
  ])
})

t.test('options that need a status', async (t) => {
  const text = ruleText(
    '  - name: a',
    '    sequence:',
    '      - { retryAfter: 2, fault: reset }',
    '      - { fault: reset, headers: { x-a: b } }',
    '  - name: b',
    '    fault: timeout',
    '    error: busy',
    '    message: Busy',
  )
  t.strictSame(problemsOf(t, parseScenario(text, FILE)), [
    at(6, 11, '/rules/0/sequence/0/retryAfter', '"retryAfter" needs "status"'),
    at(7, 25, '/rules/0/sequence/1/headers', '"headers" needs "status"'),
    at(10, 5, '/rules/1/error', '"error" needs "status"'),
    at(11, 5, '/rules/1/message', '"message" needs "status"'),
  ])
})

t.test('match: methods, paths and headers', async (t) => {
  const text = ruleText(
    '  - name: a',
    '    match: { method: [GET, FETCH], path: api/v1 }',
    '    status: 500',
    '  - name: b',
    '    match: { path: "/a/**/b" }',
    '    status: 500',
    '  - name: c',
    '    match: { path: "/a/x*" }',
    '    status: 500',
    '  - name: d',
    '    match: { path: "/a/:" }',
    '    status: 500',
    '  - name: e',
    '    match: { headers: { X-A: "1", x-a: "2" } }',
    '    status: 200',
    '    headers: { X-Line: "a\\nb" }',
  )
  t.strictSame(problemsOf(t, parseScenario(text, FILE)), [
    at(5, 28, '/rules/0/match/method/1', 'must be one of: GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS'),
    at(5, 42, '/rules/0/match/path', 'must be a path starting with "/" (no spaces, query string or fragment)'),
    at(8, 20, '/rules/1/match/path', '"**" can only be the last segment'),
    at(11, 20, '/rules/2/match/path', '"*" must be a whole segment'),
    at(14, 20, '/rules/3/match/path', '":" is not a parameter; write ":name"'),
    at(19, 24, '/rules/4/headers/X-Line', 'must be a header value: text without line breaks, a number or a boolean'),
  ])
  const dup = ruleText('  - name: e', '    match: { headers: { X-A: "1", x-a: "2" } }', '    status: 200')
  t.strictSame(problemsOf(t, parseScenario(dup, FILE)), [
    at(5, 35, '/rules/0/match/headers/x-a', 'duplicate header "x-a" (header names ignore case)'),
  ])
})

t.test('several problems are all reported, in document order', async (t) => {
  const text = lines(
    'version: 1',
    'name: many',
    'seed: -1',
    'rules:',
    '  - name: a',
    '    sequence:',
    '      - { status: 700 }',
    '  - name: a',
    '    flap: { up: 0s, down: 1s }',
    '  - name: c',
    '    stauts: 500',
    'unknwn: 1',
  )
  const problems = problemsOf(t, parseScenario(text, FILE))
  t.strictSame(problems, [
    at(3, 7, '/seed', 'must be an integer between 0 and 4294967295'),
    at(7, 19, '/rules/0/sequence/0/status', 'must be an integer between 200 and 599'),
    at(8, 11, '/rules/1/name', 'duplicate rule name "a" (already used by /rules/0)'),
    at(9, 17, '/rules/1/flap/up', 'must be longer than 0'),
    at(11, 5, '/rules/2/stauts', 'unknown key "stauts" (did you mean "status"?)'),
    at(12, 1, '/unknwn', 'unknown key "unknwn"'),
  ])
  t.strictSame(problems.map(formatProblem).slice(0, 2), [
    's.yaml:3:7: must be an integer between 0 and 4294967295 (at /seed)',
    's.yaml:7:19: must be an integer between 200 and 599 (at /rules/0/sequence/0/status)',
  ])
})

t.test('YAML-level problems', async (t) => {
  t.test('a syntax error has the parser\'s line and column, and stops the checks', async (t) => {
    t.strictSame(problemsOf(t, parseScenario(lines('version: 1', 'name: a: b', 'bogus: 1'), FILE)), [
      at(2, 7, '', 'YAML syntax error: nested mappings are not allowed in compact mappings'),
    ])
    t.match(problemsOf(t, parseScenario(lines('version: 1', 'name: "unclosed', 'rules: []'), FILE)), [
      { line: 4, column: 1, pointer: '', message: /^YAML syntax error: missing closing "quote/ },
    ])
  })
  t.test('a duplicate key is a problem at the second key', async (t) => {
    const text = lines('version: 1', 'name: a', 'rules:', '  - name: r', '    status: 500', '    status: 503')
    t.strictSame(problemsOf(t, parseScenario(text, FILE)), [at(6, 5, '/rules/0/status', 'duplicate key "status"')])
  })
  t.test('an empty or comment-only file', async (t) => {
    const empty = at(1, 1, '', 'scenario is empty: expected a mapping with version, name and rules')
    t.strictSame(problemsOf(t, parseScenario('', FILE)), [empty])
    t.strictSame(problemsOf(t, parseScenario('# nothing yet\n\n', FILE)), [empty])
  })
  t.test('a root that is not a mapping', async (t) => {
    const notMapping = 'a scenario must be a mapping with version, name and rules'
    t.strictSame(problemsOf(t, parseScenario('- version: 1\n', FILE)), [at(1, 1, '', notMapping)])
    t.strictSame(problemsOf(t, parseScenario('just text\n', FILE)), [at(1, 1, '', notMapping)])
    t.strictSame(problemsOf(t, parseScenario('~\n', FILE)), [at(1, 1, '', notMapping)])
  })
  t.test('missing required keys are reported at the mapping', async (t) => {
    t.strictSame(problemsOf(t, parseScenario('# c\nseed: 1\n', FILE)), [
      at(2, 1, '', 'missing required key "version"'),
      at(2, 1, '', 'missing required key "name"'),
    ])
  })
  t.test('tags beyond plain YAML, and collection keys', async (t) => {
    t.strictSame(problemsOf(t, parseScenario(lines('version: 1', 'name: !!binary aGk='), FILE)), [
      at(2, 7, '', 'unsupported YAML tag !!binary'),
      at(2, 16, '/name', 'must be a lower-case name of at most 100 characters: letters, digits, ".", "_" and "-", starting with a letter or digit'),
    ])
    t.strictSame(problemsOf(t, parseScenario(lines('version: 1', 'name: a', '? [x]', ': 1'), FILE)), [
      at(3, 3, '', 'mapping keys must be plain text, not collections or aliases'),
    ])
  })
  t.test('aliases that expand too much', async (t) => {
    const text = lines(
      'version: 1', 'name: bomb',
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
    )
    t.match(problemsOf(t, parseScenario(text, FILE)), [{ line: 1, column: 1, pointer: '', message: /^could not read the YAML: / }])
  })
})

t.test('hostile input never throws', async (t) => {
  t.test('deep nesting is refused before parsing', async (t) => {
    const [flow] = problemsOf(t, parseScenario(`version: 1\nname: deep\nrules: ${'['.repeat(100_000)}\n`, FILE))
    t.strictSame(flow, at(3, 263, '', 'YAML nested too deeply (indentation plus brackets over 256)'))
    const block = Array.from({ length: 400 }, (_, i) => `${' '.repeat(i)}a:`).join('\n')
    t.match(problemsOf(t, parseScenario(block, FILE)), [{ line: 257, column: 258, message: /^YAML nested too deeply/ }])
    const compact = `${'- '.repeat(5000)}x\n`
    t.match(problemsOf(t, parseScenario(compact, FILE)), [{ line: 1, message: /^YAML nested too deeply/ }])
  })
  t.test('long flat flow collections are not mistaken for depth', async (t) => {
    const keys = Array.from({ length: 2000 }, (_, i) => `k${i}: ${i}`).join(', ')
    const s = scenarioOf(t, parseScenario(ruleText('  - name: wide', `    body: { ${keys} }`), FILE))
    t.equal(Object.keys(s.rules[0]?.steps?.[0]?.body as object).length, 2000)
  })
  t.test('bodies nested deeper than matching allows', async (t) => {
    const text = ruleText('  - name: deep', `    body: ${'['.repeat(100)}${']'.repeat(100)}`)
    const [p] = problemsOf(t, parseScenario(text, FILE))
    t.match(p, { line: 5, pointer: `/rules/0/body${'/0'.repeat(64)}`, message: 'is nested too deeply (limit 64 levels)' })
  })
  t.test('huge and non-finite numbers', async (t) => {
    const text = ruleText('  - name: big', '    status: 500', '    after: 1e999', '    body: { a: .nan, b: -.inf }')
    t.strictSame(problemsOf(t, parseScenario(text, FILE)), [
      at(6, 12, '/rules/0/after', 'must be an integer >= 0'),
    ])
    const nan = ruleText('  - name: big', '    status: 500', '    body: { a: .nan, b: -.inf }')
    t.strictSame(problemsOf(t, parseScenario(nan, FILE)), [
      at(6, 16, '/rules/0/body/a', 'must be a finite number'),
    ])
  })
  t.test('binary junk and mutated files', async (t) => {
    let seed = 42
    const random = (n: number): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31
      return seed % n
    }
    const junk = Buffer.from(Array.from({ length: 4096 }, () => random(256))).toString('latin1')
    t.equal(parseScenario(junk, FILE).ok, false)
    const valid = await readFile(new URL('../../scenarios/seeded-chaos.yaml', import.meta.url), 'utf8')
    const alphabet = ' :-[]{},\n#&*!|>\'"?%@`0aZ'
    for (let i = 0; i < 300; i++) {
      let text = valid
      for (let edits = 1 + random(4); edits > 0; edits--) {
        const pos = random(text.length)
        text = random(2) === 0
          ? text.slice(0, pos) + (alphabet[random(alphabet.length)] ?? '') + text.slice(pos)
          : text.slice(0, pos) + text.slice(pos + 1 + random(8))
      }
      const result = parseScenario(text, FILE)
      // "could not check" would be an exception caught at the boundary: a bug, not an answer.
      const sound = (p: Problem): boolean => p.line >= 1 && p.column >= 1 && p.message !== '' && !p.message.startsWith('could not check')
      if (!result.ok && !result.problems.every(sound)) {
        t.fail(`bad problem for mutation ${i}: ${JSON.stringify(result.problems)}`)
      }
    }
    t.pass('300 mutations answered with located problems or a scenario')
  })
})

t.test('limits', async (t) => {
  t.equal(DEFAULT_MAX_RULES, 10_000)
  t.equal(DEFAULT_MAX_SCENARIO_BYTES, 1_048_576)
  const three = ruleText('  - { name: a, status: 500 }', '  - { name: b, status: 500 }', '  - { name: c, status: 500 }')
  t.strictSame(problemsOf(t, parseScenario(three, FILE, { maxRules: 2 })), [at(4, 3, '/rules', 'too many rules (3; limit 2)')])
  t.strictSame(problemsOf(t, parseScenario(three, FILE, { maxBytes: 10 })), [at(1, 1, '', `scenario too large (${three.length} bytes; limit 10)`)])
})

t.test('files', async (t) => {
  const dir = t.testdir({
    'good.yaml': 'version: 1\nname: good\n',
    'bad.yaml': 'version: 1\nname: bad\nrules:\n  - name: a\n    sequence:\n      - { status: 5000 }\n',
    'latin1.yaml': Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x20, 0xe9, 0x0a]),
    'folder': {},
  })
  const good = scenarioOf(t, await loadScenarioFile(join(dir, 'good.yaml')))
  t.equal(good.source, join(dir, 'good.yaml'))
  t.strictSame(problemsOf(t, await loadScenarioFile(join(dir, 'bad.yaml'))), [
    at(6, 19, '/rules/0/sequence/0/status', 'must be an integer between 200 and 599', join(dir, 'bad.yaml')),
  ])
  const missing = join(dir, 'missing.yaml')
  t.strictSame(problemsOf(t, await loadScenarioFile(missing)), [at(1, 1, '', `ENOENT: no such file or directory, open '${missing}'`, missing)])
  t.match(problemsOf(t, await loadScenarioFile(join(dir, 'folder'))), [{ line: 1, column: 1, message: /^EISDIR/ }])
  t.strictSame(problemsOf(t, await loadScenarioFile(join(dir, 'latin1.yaml'))), [
    at(1, 1, '', 'scenario file is not UTF-8 text', join(dir, 'latin1.yaml')),
  ])
  const big = join(dir, 'big.yaml')
  await writeFile(big, `version: 1\nname: big\ndescription: ${'x'.repeat(DEFAULT_MAX_SCENARIO_BYTES)}\n`)
  const size = DEFAULT_MAX_SCENARIO_BYTES + 35
  t.strictSame(problemsOf(t, await loadScenarioFile(big)), [at(1, 1, '', `scenario file too large (${size} bytes; limit 1048576)`, big)])
})

t.test('scenarioFromObject: the same checks without text', async (t) => {
  const s = scenarioOf(t, scenarioFromObject({
    version: 1, name: 'inline', rules: [{ name: 'r', match: { method: 'post', headers: { 'X-A': 1 } }, status: 503, retryAfter: '2s' }],
  }, 'inline'))
  t.strictSame(s, {
    version: 1,
    name: 'inline',
    rules: [{
      name: 'r',
      match: { methods: ['POST'], headers: { 'x-a': '1' } },
      after: 0,
      repeat: false,
      steps: [{ pass: false, status: 503, retryAfter: 2, commit: false }],
    }],
    source: 'inline',
  })
  const objectAt = (pointer: string, message: string): Problem => ({ file: 'inline', line: 0, column: 0, message, pointer })
  t.strictSame(problemsOf(t, scenarioFromObject({
    rules: [{ name: 'r', sequence: [{ status: 99 }] }, { name: 'r', flap: { up: '1s', down: '1s' }, extra: 1 }],
    version: 1,
    name: 'x',
  }, 'inline')), [
    objectAt('/rules/0/sequence/0/status', 'must be an integer between 200 and 599'),
    objectAt('/rules/1/name', 'duplicate rule name "r" (already used by /rules/0)'),
    objectAt('/rules/1/extra', 'unknown key "extra"'),
  ], 'in key order')
  t.strictSame(problemsOf(t, scenarioFromObject({ version: 1, name: 'x', description: 5 }, 'inline')), [objectAt('/description', 'must be a string')])
  const hostile = { version: 1, get name (): string { throw new Error('boom') } }
  t.strictSame(problemsOf(t, scenarioFromObject(hostile, 'inline')), [objectAt('', 'could not check the scenario: boom')], 'a throwing getter is a problem')
  for (const root of [undefined, null, 42, 'text', [], new Map()]) {
    t.equal(scenarioFromObject(root, 'inline').ok, false, `root ${String(root)} is refused`)
  }
  const cyclic: Record<string, unknown> = { a: 1 }
  cyclic.self = cyclic
  const shared = { x: 1 }
  const rule = (body: unknown) => ({ version: 1, name: 'x', rules: [{ name: 'r', body }] })
  t.strictSame(problemsOf(t, scenarioFromObject(rule(cyclic), 'inline')), [objectAt('/rules/0/body/self', 'must be JSON data, not a cycle')])
  t.strictSame(problemsOf(t, scenarioFromObject(rule({ f: () => 1 }), 'inline')), [objectAt('/rules/0/body/f', 'must be JSON data, not function')])
  t.strictSame(problemsOf(t, scenarioFromObject(rule({ d: new Date(0) }), 'inline')), [
    objectAt('/rules/0/body/d', 'must be JSON data: plain objects, arrays, strings, numbers, booleans and null'),
  ])
  const body = { a: shared, b: shared }
  const copy = scenarioOf(t, scenarioFromObject(rule(body), 'inline'))
  shared.x = 2
  t.strictSame(copy.rules[0]?.steps?.[0]?.body, { a: { x: 1 }, b: { x: 1 } }, 'shared values are fine, and the body is copied')
})

t.test('formatProblem', async (t) => {
  t.equal(formatProblem(at(3, 7, '/rules/1/sequence/0/status', 'must be an integer between 200 and 599')),
    's.yaml:3:7: must be an integer between 200 and 599 (at /rules/1/sequence/0/status)')
  t.equal(formatProblem(at(1, 1, '', 'scenario is empty')), 's.yaml:1:1: scenario is empty')
})

t.test('the schema', async (t) => {
  t.test('scenarios/scenario.schema.json is the TypeScript schema, written out', async (t) => {
    const json: unknown = JSON.parse(await readFile(new URL('../../scenarios/scenario.schema.json', import.meta.url), 'utf8'))
    t.strictSame(json, JSON.parse(JSON.stringify(scenarioSchema)), 'if this fails, write the file again from scenarioSchema')
  })
  t.test('every property has a title and a description; fixed mappings refuse unknown keys', async (t) => {
    const missing: string[] = []
    const visit = (node: unknown, path: string): void => {
      if (typeof node !== 'object' || node === null) return
      const schema = node as Record<string, unknown>
      const properties = schema.properties as Record<string, Record<string, unknown>> | undefined
      if (properties !== undefined) {
        if (schema.additionalProperties !== false) missing.push(`${path}: additionalProperties is not false`)
        for (const [key, property] of Object.entries(properties)) {
          if (typeof property.title !== 'string' || typeof property.description !== 'string') missing.push(`${path}/${key}: title or description`)
          visit(property, `${path}/${key}`)
        }
      }
      visit(schema.items, `${path}[]`)
      visit(schema.additionalProperties, `${path}{}`)
    }
    visit(scenarioSchema, '')
    t.strictSame(missing, [])
  })
  t.test('documented defaults are the loader\'s defaults', async (t) => {
    const p = scenarioSchema.properties
    const rule = p.rules.items.properties
    t.equal(tryParseDuration(p.rateLimit.properties.window.default), DEFAULT_RATE_LIMIT_WINDOW_MS)
    t.strictSame(rule.flap.properties.statuses.default, DEFAULT_FLAP_STATUSES)
  })
  t.test('every fault kind of the registry is in the schema, with its options, and a bare type takes their defaults', async (t) => {
    const fault = scenarioSchema.properties.rules.items.properties.fault
    const types = FAULT_KINDS.map((k) => k.type)
    t.strictSame(fault.properties.type, { title: 'Fault type', description: fault.properties.type?.description, enum: types })
    t.strictSame(fault.examples, types)
    const rules = FAULT_KINDS.map((k) => ({ name: k.type, fault: k.type }))
    const s = scenarioOf(t, scenarioFromObject({ version: 1, name: 'kinds', rules }, 'inline'))
    for (const [i, kind] of FAULT_KINDS.entries()) {
      t.match(fault.properties.type?.description, `${kind.type}: ${kind.summary}`)
      const defaults = Object.fromEntries(Object.values(kind.options).map((o) => [o.field, o.default]))
      t.strictSame(s.rules[i]?.steps?.[0]?.fault, { type: kind.type, ...defaults }, `${kind.type} takes its defaults`)
      for (const [key, option] of Object.entries(kind.options)) {
        const property = fault.properties[key]
        t.equal(property?.title, option.title, `${kind.type}.${key} has its title`)
        t.match(property?.description, option.description.slice(1), `${kind.type}.${key} is described, its default included`)
      }
    }
  })
})
