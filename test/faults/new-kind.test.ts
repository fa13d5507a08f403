// A fault kind added through the registry alone: given a list of kinds that holds a new one, the
// schema accepts it, the loader normalises its options (a fraction, a count and a duration), a
// running server carries it out, and the default registry still refuses it. Nothing outside this
// file names the new kind.

import t from 'tap'
import { parse } from 'yaml'
import { FAULT_KINDS, type FaultKind } from '../../server/faults/index.js'
import { optionOf } from '../../server/faults/types.js'
import { formatProblem, parseScenario, type LoadResult } from '../../server/scenario/load/index.js'
import { scenarioSchemas } from '../../server/scenario/schema.js'
import { scenarioValidators } from '../../server/scenario/validators.js'
import type { Scenario } from '../../server/scenario/types.js'
import { ManualClock } from '../../server/util/clock.js'
import { FULL, serve, until } from '../helpers.js'

/** A proxy that resent the start of the body: its first `part`, `copies` times, after a gap. */
const stutter: FaultKind = {
  type: 'stutter',
  summary: 'the start of the body arrives more than once, as from a proxy that retried a write',
  options: {
    part: { field: 'part', type: 'fraction', default: 0.25, title: 'Repeated part', description: 'The fraction of the body that is repeated. Default 0.25.' },
    copies: { field: 'copies', type: 'count', default: 2, title: 'Copies', description: 'How many times it arrives. Default 2.' },
    gap: { field: 'gapMs', type: 'duration', default: 0, title: 'Gap', description: 'The wait before the body is sent. Default 0.' }
  },
  phase: 'body',
  withPass: true,
  withCommit: false,
  drops: true,
  act: async ({ payload, clock }, fault) => {
    await clock.sleep(optionOf(fault, 'gapMs', 0))
    const head = payload.subarray(0, Math.floor(payload.length * optionOf(fault, 'part', 0.25)))
    return Buffer.concat([...Array.from({ length: optionOf(fault, 'copies', 2) - 1 }, () => head), payload])
  }
}

const KINDS: readonly FaultKind[] = [...FAULT_KINDS, stutter]

const YAML = `version: 1
name: stuttering
rules:
  - name: tickets
    match: { method: GET, path: /api/v1/tickets/:id }
    sequence:
      - { pass: true, fault: { type: stutter, part: 0.5, copies: 3, gap: 250ms } }
      - { pass: true, fault: stutter }
`

function scenarioOf (result: LoadResult): Scenario {
  if (!result.ok) throw new Error(`expected a scenario:\n${result.problems.map(formatProblem).join('\n')}`)
  return result.scenario
}

t.test('the schema of a registry with the new kind lists it, with its options', async (t) => {
  const fault = scenarioSchemas(KINDS).rule.properties.fault
  t.strictSame(fault.examples, [...FAULT_KINDS.map((k) => k.type), 'stutter'])
  t.match(fault.properties.type, { enum: fault.examples })
  t.match(fault.properties.type?.description, 'stutter: the start of the body arrives more than once')
  t.match(fault.properties.part, { type: 'number', minimum: 0, maximum: 1, description: 'stutter only: the fraction of the body that is repeated. Default 0.25.' })
  t.match(fault.properties.copies, { type: 'integer', minimum: 1 })
  t.match(fault.properties.gap, { type: ['number', 'string'], title: 'Gap' })
  t.match(scenarioSchemas(KINDS).rule.properties.pass.description, 'truncate, malformed, drip or stutter')
  const validate = scenarioValidators(KINDS).rule
  t.ok(validate({ name: 'r', pass: true, fault: { type: 'stutter', copies: 4 } }), 'accepted by its validators')
  t.notOk(validate({ name: 'r', pass: true, fault: { type: 'stutter', copies: 0 } }), 'a count below 1 is refused')
  t.notOk(scenarioValidators().rule({ name: 'r', pass: true, fault: 'stutter' }), 'the registry\'s own validators do not know it')
  t.equal(scenarioValidators(KINDS), scenarioValidators(KINDS), 'compiled once per list of kinds')
})

t.test('the loader normalises its options, with their defaults, and applies its combination rules', async (t) => {
  const s = scenarioOf(parseScenario(YAML, 'stutter.yaml', { faultKinds: KINDS }))
  t.strictSame(s.rules[0]?.steps?.map((step) => step.fault), [
    { type: 'stutter', part: 0.5, copies: 3, gapMs: 250 },
    { type: 'stutter', part: 0.25, copies: 2, gapMs: 0 }
  ])

  const refused = parseScenario(YAML, 'stutter.yaml')
  t.notOk(refused.ok, 'the default registry refuses the type')
  if (!refused.ok) t.match(refused.problems[0], { line: 7, pointer: '/rules/0/sequence/0/fault/type', message: /must be one of: reset, timeout, empty, truncate, malformed, drip$/ })

  const misused = parseScenario(`version: 1
name: misused
rules:
  - { name: a, fault: { type: stutter, hold: 2s } }
  - { name: b, commit: true, fault: stutter }
  - { name: c, fault: { type: timeout, copies: 2 } }
`, 'misused.yaml', { faultKinds: KINDS })
  t.strictSame(misused.ok ? [] : misused.problems.map((p) => `${p.line}: ${p.message}`), [
    '4: "hold" does not apply to fault type stutter (it takes part, copies, gap)',
    '5: "commit" needs "status" or a fault of type reset, timeout, empty or truncate',
    '6: "copies" does not apply to fault type timeout (it takes hold)'
  ])
})

t.test('a registry the format cannot carry is refused when its schema is made', async (t) => {
  t.throws(() => scenarioSchemas([...KINDS, stutter]), /stutter is registered twice/)
  t.throws(() => scenarioSchemas([{ ...stutter, type: 'Stutter!' }]), /a type is a lower-case word/)
  const clash: FaultKind = { ...stutter, type: 'clash', options: { hold: { field: 'holdMs', type: 'count', default: 1, title: 'Hold', description: 'Hold.' } } }
  t.throws(() => scenarioSchemas([...FAULT_KINDS, clash]), /timeout and clash give option "hold" different meanings/)
})

t.test('a running server given the list carries the new kind out', async (t) => {
  const clock = new ManualClock()
  const scenario = parse(`${YAML}      - pass\n`) as Record<string, unknown>
  const server = await serve(t, { clock, faultKinds: KINDS, scenario })
  const get = async () => {
    const res = await fetch(`${server.url}/api/v1/tickets/1001`, { headers: { 'x-api-key': FULL } })
    return { status: res.status, fault: res.headers.get('x-mock-fault'), length: res.headers.get('content-length'), body: Buffer.from(await res.arrayBuffer()) }
  }
  const pending = get()
  await until(() => clock.pending > 0, 'the fault waits its gap on the clock')
  clock.advance(249)
  t.equal(clock.pending, 1, 'still waiting 1 ms before the gap ends')
  clock.advance(1)
  const stuttered = await pending
  const defaults = await get()
  const whole = await get()

  t.equal(stuttered.status, 200)
  t.equal(stuttered.fault, 'tickets; step=1')
  t.equal(JSON.parse(whole.body.toString()).id, 1001, 'the third request passes untouched')
  const half = whole.body.subarray(0, Math.floor(whole.body.length * 0.5))
  t.strictSame(stuttered.body, Buffer.concat([half, half, whole.body]), 'its first half twice more, then the whole body')
  t.equal(Number(stuttered.length), stuttered.body.length, 'with its length declared')
  const quarter = whole.body.subarray(0, Math.floor(whole.body.length * 0.25))
  t.strictSame(defaults.body, Buffer.concat([quarter, whole.body]), 'the defaults: a quarter, once more')
  const journal = await server.journal()
  t.strictSame(journal.map((e) => [e.status, e.fault]), [[200, 'stutter'], [200, 'stutter'], [200, undefined]], 'the journal names the fault')
})
