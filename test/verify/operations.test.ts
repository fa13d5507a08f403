// Grouping journal entries into operations: keys, body fingerprints, windows and their edges.

import t from 'tap'
import { groupOperations, isDropped, sawSuccess } from '../../server/verify/operations.js'
import { journal } from './fixtures/journal.js'

const shape = (entries: Parameters<typeof groupOperations>[0], windowMs?: number) =>
  groupOperations(entries, windowMs === undefined ? {} : { windowMs }).map((op) => op.attempts.map((a) => a.entry.seq))

t.test('attempts with one Idempotency-Key are one operation, however far apart and even after a success', async (t) => {
  const entries = journal([
    { at: 0, status: 503, idempotencyKey: 'a' },
    { at: 1_000, status: 201, idempotencyKey: 'a' },
    { at: 600_000, status: 201, idempotencyKey: 'a', replayed: true }
  ])
  t.same(shape(entries), [[1, 2, 3]])
})

t.test('a different key after a final answer, or a different body, path, method or API key, is a different operation', async (t) => {
  const entries = journal([
    { at: 0, status: 409, idempotencyKey: 'a', bodyHash: 'b1' },
    { at: 10, status: 503, idempotencyKey: 'b', bodyHash: 'b1' },
    { at: 20, status: 503, bodyHash: 'b2' },
    { at: 30, status: 503, bodyHash: 'b3' },
    { at: 40, status: 503, bodyHash: 'b2', path: '/api/v1/kb/articles' },
    { at: 50, status: 503, method: 'PUT', bodyHash: 'b2' },
    { at: 60, status: 503, bodyHash: 'b2', apiKey: 'ak_live_…0002' }
  ])
  t.same(shape(entries), [[1], [2], [3], [4], [5], [6], [7]])
})

t.test('a new key after a retryable answer or a dropped connection is a retry: one operation, whatever the keys', async (t) => {
  const entries = journal([
    { at: 0, status: 429, retryAfter: 2, idempotencyKey: 'k1', bodyHash: 'x' },
    { at: 2_100, status: 503, idempotencyKey: 'k2', bodyHash: 'x' },
    { at: 3_500, status: 0, fault: 'reset', idempotencyKey: 'k3', bodyHash: 'x' },
    { at: 6_000, status: 201, idempotencyKey: 'k4', bodyHash: 'x' },
    { at: 6_500, status: 201, idempotencyKey: 'k5', bodyHash: 'x' },
    { at: 7_000, status: 201, idempotencyKey: 'k2', bodyHash: 'x', replayed: true }
  ])
  t.same(shape(entries), [[1, 2, 3, 4, 6], [5]], 'a new key after a success is a new request; an old key returns to its operation')
})

t.test('a new key must come within the window, stretched by any Retry-After; the statuses that count are configurable', async (t) => {
  const entries = journal([
    { at: 0, status: 503, idempotencyKey: 'k1', bodyHash: 'x' },
    { at: 61_000, status: 503, idempotencyKey: 'k2', bodyHash: 'x' },
    { at: 100_000, status: 429, retryAfter: 90, idempotencyKey: 'k3', bodyHash: 'x' },
    { at: 245_000, status: 408, idempotencyKey: 'k4', bodyHash: 'x' },
    { at: 246_000, status: 201, idempotencyKey: 'k5', bodyHash: 'x' }
  ])
  t.same(shape(entries), [[1], [2, 3, 4], [5]], 'default 60 s; 60 + 90 s after a Retry-After of 90; a 408 is final by default')
  t.same(groupOperations(entries, { retryableStatuses: [408, 429, 503] }).map((op) => op.attempts.length), [1, 4])
})

t.test('keyless requests: a repeat after a failure is a retry, a repeat after a success is a new operation', async (t) => {
  const get = { method: 'GET', path: '/api/v1/tickets' }
  const entries = journal([
    { ...get, at: 0, status: 503 },
    { ...get, at: 1_000, status: 200 },
    { ...get, at: 2_000, status: 200 },
    { ...get, at: 3_000, status: 0, fault: 'reset' },
    { ...get, at: 4_500, status: 200 }
  ])
  t.same(shape(entries), [[1, 2], [3], [4, 5]])
})

t.test('keyless retries must come within the window, stretched by any Retry-After', async (t) => {
  const entries = journal([
    { at: 0, status: 503, bodyHash: 'x' },
    { at: 70_000, status: 503, bodyHash: 'x' },
    { at: 200_000, status: 429, retryAfter: 90, bodyHash: 'x' },
    { at: 345_000, status: 201, bodyHash: 'x' }
  ])
  t.same(shape(entries), [[1], [2], [3, 4]], 'default 60 s; 60 + 90 s after a Retry-After of 90')
  t.same(shape(entries, 100_000), [[1, 2], [3, 4]])
})

t.test('a keyless retry of a keyed attempt stays in its operation (a dropped key)', async (t) => {
  const entries = journal([
    { at: 0, status: 503, idempotencyKey: 'k', bodyHash: 'x' },
    { at: 1_200, status: 503, bodyHash: 'x' },
    { at: 3_500, status: 201, bodyHash: 'x' },
    { at: 9_000, status: 201, bodyHash: 'x' }
  ])
  t.same(shape(entries), [[1, 2, 3], [4]])
})

t.test('a cut or garbled body counts as no answer, so the repeat is a retry', async (t) => {
  const entries = journal([
    { at: 0, status: 201, fault: 'truncate', bodyHash: 'x' },
    { at: 1_000, status: 201, fault: 'drip', bodyHash: 'x' },
    { at: 2_000, status: 201, bodyHash: 'x' }
  ])
  t.same(shape(entries), [[1, 2], [3]], 'a drip is slow but complete')
  t.ok(isDropped(entries[0]!))
  t.notOk(sawSuccess(entries[0]!))
  t.ok(sawSuccess(entries[1]!))
})

t.test('entries are ordered by arrival, and gaps run from the end of the previous answer', async (t) => {
  const entries = journal([
    { at: 2_500, status: 201, idempotencyKey: 'k' },
    { at: 0, status: 503, idempotencyKey: 'k', durationMs: 300 }
  ])
  const [op] = groupOperations(entries)
  t.same(op?.attempts.map((a) => [a.n, a.entry.status, a.gapMs]), [[1, 503, undefined], [2, 201, 2_200]])
  t.equal(op?.id, 'op-1')
  t.equal(op?.method, 'POST')
})

t.test('simultaneous arrivals keep journal order', async (t) => {
  const entries = journal([
    { at: 0, status: 503, idempotencyKey: 'k' },
    { at: 0, status: 201, idempotencyKey: 'k' }
  ])
  t.same(shape(entries), [[1, 2]])
  t.equal(groupOperations(entries)[0]?.attempts[1]?.gapMs, 0)
})
