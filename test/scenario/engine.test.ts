// The pure engine: steps, flaps, windows, enforcement and seeded chance, with no sockets.

import t from 'tap'
import { compileScenario } from '../../server/scenario/compile.js'
import { decide, flapPhase, stepIndex, answerFor, RETRY_AFTER_SLACK_MS, type EngineState } from '../../server/scenario/engine.js'
import { compileMatch, type RequestFacts } from '../../server/scenario/match.js'
import type { Rule, Scenario, Step } from '../../server/scenario/types.js'

function state (startedAt = 0): EngineState & { values: Map<string, unknown> } {
  const values = new Map<string, unknown>()
  return {
    startedAt,
    values,
    incr (key) {
      const n = ((values.get(key) as number | undefined) ?? 0) + 1
      values.set(key, n)
      return n
    },
    get: <T>(key: string) => values.get(key) as T | undefined,
    set (key, value) { values.set(key, value) }
  }
}

function facts (method: string, path: string, extra: Partial<RequestFacts> = {}): RequestFacts {
  return { method, path, query: {}, headers: {}, apiKey: 'k', body: undefined, ...extra }
}

function scenario (rules: Partial<Rule>[]): Scenario {
  return { version: 1, name: 's', source: 'test', rules: rules.map((r, i) => ({ name: `r${i}`, match: {}, after: 0, repeat: false, ...r })) }
}

const step = (s: Partial<Step>): Step => ({ pass: false, commit: false, ...s })

t.test('stepIndex walks times, stays on the last step, or loops', async (t) => {
  const steps = [step({ times: 2, status: 500 }), step({ times: 1, status: 503 })]
  t.same([1, 2, 3, 4, 5].map((k) => stepIndex(steps, 3, false, k)), [0, 0, 1, 1, 1], 'stays on the last step')
  t.same([1, 2, 3, 4, 5, 6, 7].map((k) => stepIndex(steps, 3, true, k)), [0, 0, 1, 0, 0, 1, 0], 'loops with repeat')
  const forever = [step({ times: 1, status: 500 }), step({ pass: true })]
  t.same([1, 2, 3].map((k) => stepIndex(forever, undefined, false, k)), [0, 1, 1], 'a last step without times is for ever')
  t.same([1, 2, 3, 4].map((k) => stepIndex(forever, 2, true, k)), [0, 1, 0, 1], 'under repeat it answers once per cycle')
  const compiled = compileScenario(scenario([{ repeat: true, steps: [step({ times: 1, status: 500 }), step({ pass: true })] }]))
  t.equal(compiled.candidates('GET', '/x')[0]?.cycle, 2)
})

t.test('a sequence answers the Nth matching request with step N', async (t) => {
  const compiled = compileScenario(scenario([{ match: { methods: ['POST'], path: '/api/v1/tickets' }, steps: [step({ times: 2, status: 500 }), step({ pass: true })] }]))
  const s = state()
  const seen = []
  for (let i = 0; i < 4; i++) {
    const d = await decide(compiled, facts('POST', '/api/v1/tickets'), s, 0, 1)
    seen.push(d?.pass ? 'pass' : d?.answer?.status)
  }
  t.same(seen, [500, 500, 'pass', 'pass'])
  t.equal(await decide(compiled, facts('GET', '/api/v1/tickets'), s, 0, 1), undefined, 'other methods do not match')
})

t.test('a 429 with Retry-After is enforced: early retries are refused with the time left', async (t) => {
  const compiled = compileScenario(scenario([{ steps: [step({ times: 1, status: 429, retryAfter: 2 }), step({ pass: true })] }]))
  const s = state()
  const first = await decide(compiled, facts('GET', '/x'), s, 1000, 1)
  t.equal(first?.answer?.status, 429)
  t.equal(first?.answer?.headers['retry-after'], '2')
  t.same(first?.answer?.body, { error: 'rate_limit_exceeded', message: 'Rate limit exceeded. Retry after 2 seconds.', retry_after: 2 })
  const early = await decide(compiled, facts('GET', '/x'), s, 2500, 1)
  t.equal(early?.reason, 'enforced')
  t.equal(early?.answer?.headers['retry-after'], '1', 'ceil of the 0.5 s left')
  t.equal((early?.answer?.body as { retry_after: number }).retry_after, 1)
  const onTime = await decide(compiled, facts('GET', '/x'), s, 3000, 1)
  t.equal(onTime?.pass, true, 'a retry once Retry-After has passed gets through')
})

t.test('a retry that waited the Retry-After, give or take clock rounding, is not refused again', async (t) => {
  const compiled = compileScenario(scenario([{ steps: [step({ times: 1, status: 429, retryAfter: 1 }), step({ pass: true })] }]))
  const early = state()
  await decide(compiled, facts('GET', '/x'), early, 1000, 1)
  t.equal((await decide(compiled, facts('GET', '/x'), early, 1000 + 1000 - RETRY_AFTER_SLACK_MS - 1, 1))?.reason, 'enforced', 'more than the slack early: refused')
  const rounded = state()
  await decide(compiled, facts('GET', '/x'), rounded, 1000, 1)
  t.equal((await decide(compiled, facts('GET', '/x'), rounded, 1999, 1))?.pass, true, 'a millisecond early (a timer firing early, clocks in whole ms): through')
})

t.test('after lets the first N matching requests through', async (t) => {
  const compiled = compileScenario(scenario([{ after: 2, steps: [step({ status: 503 })] }]))
  const s = state()
  const out = []
  for (let i = 0; i < 4; i++) out.push((await decide(compiled, facts('GET', '/x'), s, 0, 1))?.answer?.status)
  t.same(out, [undefined, undefined, 503, 503])
})

t.test('flaps follow the clock and advertise the time until up on 503', async (t) => {
  const flap = { upMs: 4000, downMs: 2000, statuses: [503], retryAfter: true, startDown: false }
  t.same(flapPhase(flap, 1000), { down: false, msUntilUp: 0 })
  t.same(flapPhase(flap, 4500), { down: true, msUntilUp: 1500 })
  t.same(flapPhase(flap, 6000), { down: false, msUntilUp: 0 })
  const compiled = compileScenario(scenario([{ flap }]))
  const s = state(0)
  t.equal(await decide(compiled, facts('GET', '/x'), s, 3999, 1), undefined)
  const down = await decide(compiled, facts('GET', '/x'), s, 4200, 1)
  t.equal(down?.answer?.status, 503)
  t.equal(down?.retryAfter, 2)
})

t.test('a time window burst advertises the seconds until the window closes', async (t) => {
  const compiled = compileScenario(scenario([{ window: { startMs: 0, endMs: 10_000 }, steps: [step({ status: 429 })] }]))
  const s = state(0)
  const d = await decide(compiled, facts('GET', '/x'), s, 7_300, 1)
  t.equal(d?.retryAfter, 3)
  t.equal(await decide(compiled, facts('GET', '/x'), s, 10_000, 1), undefined, 'over once the window ends')
})

t.test('chance is seeded: same seed same choices, another seed other choices', async (t) => {
  const compiled = compileScenario(scenario([{ chance: 0.3, steps: [step({ status: 500 })] }]))
  async function run (seed: number): Promise<string> {
    const s = state()
    let out = ''
    for (let i = 0; i < 200; i++) out += (await decide(compiled, facts('GET', '/x'), s, 0, seed)) === undefined ? '.' : 'x'
    return out
  }
  const a = await run(1)
  t.equal(a, await run(1))
  t.not(a, await run(2))
  const rate = a.split('').filter((c) => c === 'x').length / a.length
  t.ok(rate > 0.2 && rate < 0.4, `about 30 % fire (${rate})`)
})

t.test('rules that match but do not fire let later rules try', async (t) => {
  const compiled = compileScenario(scenario([
    { match: { path: '/api/v1/kb/**' }, after: 1, steps: [step({ status: 500 })] },
    { steps: [step({ status: 503 })] }
  ]))
  const s = state()
  t.equal((await decide(compiled, facts('GET', '/api/v1/kb/articles'), s, 0, 1))?.answer?.status, 503)
  t.equal((await decide(compiled, facts('GET', '/api/v1/kb/articles'), s, 0, 1))?.answer?.status, 500)
})

t.test('answerFor fills the Aurion body unless a body is given', async (t) => {
  t.same(answerFor(step({ status: 500 }), undefined)?.body, { error: 'internal_error', message: 'Internal server error' })
  t.same(answerFor(step({ status: 422, details: [{ field: 'a', message: 'b' }] }), undefined)?.body, { error: 'validation_error', message: 'Request validation failed', details: [{ field: 'a', message: 'b' }] })
  t.same(answerFor(step({ status: 503, retryAfter: 5 }), 5)?.body, { error: 'service_unavailable', message: 'Service temporarily unavailable', retry_after: 5 })
  t.same(answerFor(step({ status: 418, body: 'teapot', headers: { 'x-a': '1' } }), undefined), { status: 418, headers: { 'x-a': '1' }, body: 'teapot' })
  t.equal(answerFor(step({ status: 204 }), undefined)?.body, undefined)
})

t.test('the index keeps only rules that can match a method and resource', async (t) => {
  const rules: Partial<Rule>[] = []
  for (let i = 0; i < 1000; i++) rules.push({ match: { methods: ['GET'], path: `/api/v1/r${i}/:id` }, steps: [step({ status: 500 })] })
  rules.push({ match: { path: '/api/v1/tickets/:id' }, steps: [step({ status: 503 })] })
  const compiled = compileScenario(scenario(rules))
  t.equal(compiled.candidates('GET', '/api/v1/tickets/5').length, 1)
  t.equal(compiled.candidates('GET', '/api/v1/r7/5').length, 1)
  t.equal((await decide(compiled, facts('GET', '/api/v1/tickets/5'), state(), 0, 1))?.answer?.status, 503)
})

t.test('the rule index never leaves out a rule that matches, and keeps file order', async (t) => {
  const patterns = [
    undefined, '/api/v1/tickets', '/api/v1/tickets/', '/api/v1/tickets/:id', '/api/v1/tickets/*', '/api/v1/tickets/**',
    '/api/v1/tickets/r1/:id', '/api/v1/tickets/r2', '/api/v1/tickets/:id/notes', '/api/v1/kb/articles/:id', '/api/v1/kb/*',
    '/api/v1/*/1001', '/api/v1/:resource', '/api/sync/x', '/health', '/a/b/c/d', '/api/v1/users/r1'
  ]
  const rules: Partial<Rule>[] = patterns.flatMap((path) => [undefined, ['GET'], ['POST']].map((methods) => ({
    match: { ...(path === undefined ? {} : { path }), ...(methods === undefined ? {} : { methods }) }
  })))
  const compiled = compileScenario(scenario(rules))
  const paths = [
    '/api/v1/tickets', '/api/v1/tickets/', '/api/v1/tickets/1001', '/api/v1/tickets/r1', '/api/v1/tickets/r1/5', '/api/v1/tickets/r2',
    '/api/v1/tickets/1001/notes', '/api/v1/tickets/r1/notes', '/api/v1/kb/articles/3', '/api/v1/kb', '/api/v1/users/1001',
    '/api/v1/users/r1', '/api/sync/x', '/health', '/a/b/c/d', '/api/v1', '/', '/api/v1/tickets//x'
  ]
  let matched = 0
  for (const method of ['GET', 'POST', 'DELETE']) {
    for (const path of paths) {
      const found = compiled.candidates(method, path).map((c) => c.index)
      t.same(found, [...found].sort((a, b) => a - b), `file order for ${method} ${path}`)
      const wanted = rules.flatMap((rule, i) => compileMatch(rule.match!)(facts(method, path)) ? [i] : [])
      matched += wanted.length
      t.same(wanted.filter((i) => !found.includes(i)), [], `every rule matching ${method} ${path} is a candidate`)
    }
  }
  t.ok(matched > 50, `${matched} matching rule and request pairs checked`)
})
