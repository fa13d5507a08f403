// The Idempotency-Key policy without Fastify: (request, session, now) -> verdict, and which
// answers are stored, on a manual clock.

import t from 'tap'
import { MemoryStore } from '../../server/store/memory/index.js'
import { claimIdempotencyKey, idempotencyKeyOf, MAX_IDEMPOTENCY_KEY_LENGTH, releaseIdempotencyKey, settleIdempotencyKey, type IdempotencyVerdict, type KeyedRequest } from '../../server/policy/idempotency.js'
import { DeferredStore } from '../store/deferred.js'

const TTL = 60_000
const create = (body: unknown, extra: Partial<KeyedRequest> = {}): KeyedRequest => ({ method: 'POST', path: '/api/v1/tickets', apiKey: 'ak_1', key: 'k1', body, ...extra })
const session = () => new MemoryStore({ seed: {}, now: () => 0 }).session('s')

function held (verdict: IdempotencyVerdict) {
  if (verdict.kind !== 'proceed') throw new Error(`expected proceed, got ${verdict.kind}`)
  return verdict.held
}

t.test('the key applies to keyed writes only', async (t) => {
  t.equal(idempotencyKeyOf('POST', 'k'), 'k')
  t.equal(idempotencyKeyOf('DELETE', ['k', 'l']), 'k', 'the first of repeated headers')
  t.equal(idempotencyKeyOf('GET', 'k'), undefined)
  t.equal(idempotencyKeyOf('POST', undefined), undefined)
  t.equal(idempotencyKeyOf('POST', []), undefined)
})

t.test('a key of 1 to 255 characters', async (t) => {
  const s = session()
  for (const key of ['', 'k'.repeat(MAX_IDEMPOTENCY_KEY_LENGTH + 1)]) {
    t.same(await claimIdempotencyKey(s, create({}, { key }), 0, TTL), { kind: 'invalid', message: 'Idempotency-Key must be 1 to 255 characters' })
  }
  t.equal((await claimIdempotencyKey(s, create({}, { key: 'k'.repeat(MAX_IDEMPOTENCY_KEY_LENGTH) }), 0, TTL)).kind, 'proceed')
})

t.test('first proceeds; the same body while it runs conflicts; its answer is then replayed', async (t) => {
  const s = session()
  const first = held(await claimIdempotencyKey(s, create({ a: 1, b: 2 }), 0, TTL))
  t.match(await claimIdempotencyKey(s, create({ a: 1, b: 2 }), 10, TTL), { kind: 'conflict', message: /still being processed/ })
  await settleIdempotencyKey(s, first, 201, { 'content-type': 'application/json', 'content-length': '9', date: 'x', 'retry-after': '1', 'x-mock-fault': 'r' }, '{"id":1}', 20, TTL)
  t.same(await claimIdempotencyKey(s, create({ b: 2, a: 1 }), 30, TTL), { kind: 'replay', answer: { status: 201, headers: { 'content-type': 'application/json' }, payload: '{"id":1}' } }, 'whatever the key order; exchange headers left out')
  t.same(await claimIdempotencyKey(s, create({ a: 2 }), 40, TTL), { kind: 'conflict', message: 'Idempotency-Key reused with a different request body' })
  t.equal((await claimIdempotencyKey(s, create({ a: 1, b: 2 }, { path: '/api/v1/kb/articles' }), 50, TTL)).kind, 'conflict', 'another path is another request')
  t.equal((await claimIdempotencyKey(s, create({ a: 2 }, { apiKey: 'ak_2' }), 60, TTL)).kind, 'proceed', 'keys are per API key')
  t.equal((await claimIdempotencyKey(s, create({ a: 2 }), 20 + TTL, TTL)).kind, 'proceed', 'a stored answer expires after the TTL')
})

t.test('5xx, 429 and bodies that are not text are not stored: the key is free again', async (t) => {
  const s = session()
  for (const [status, payload] of [[500, '{}'], [503, '{}'], [429, '{}'], [200, Buffer.from('x')]] as const) {
    const h = held(await claimIdempotencyKey(s, create({}), 0, TTL))
    await settleIdempotencyKey(s, h, status, {}, payload, 0, TTL)
    t.equal((await claimIdempotencyKey(s, create({}), 0, TTL)).kind, 'proceed', `after ${status}`)
    await releaseIdempotencyKey(s, h)
  }
  const h = held(await claimIdempotencyKey(s, create({}), 0, TTL))
  await settleIdempotencyKey(s, h, 404, {}, undefined, 0, TTL)
  t.same(await claimIdempotencyKey(s, create({}), 0, TTL), { kind: 'replay', answer: { status: 404, headers: {}, payload: '' } }, 'a 4xx is stored; no body is an empty one')
})

t.test('a released key (a dropped connection) is free again', async (t) => {
  const s = session()
  const h = held(await claimIdempotencyKey(s, create({}), 0, TTL))
  await releaseIdempotencyKey(s, h)
  t.equal((await claimIdempotencyKey(s, create({}), 0, TTL)).kind, 'proceed')
})

t.test('of concurrent claims on a promise-answering store, one proceeds', async (t) => {
  const s = await new DeferredStore(new MemoryStore({ seed: {}, now: () => 0 })).session('s')
  const verdicts = await Promise.all(Array.from({ length: 20 }, () => claimIdempotencyKey(s, create({}), 0, TTL)))
  t.same(verdicts.map((v) => v.kind).sort(), ['proceed', ...Array(19).fill('conflict')].sort())
})
