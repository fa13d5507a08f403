// Nothing unauthenticated creates state, admin reads create nothing, and what a session keeps is
// bounded in bytes, whatever the requests carry.

import t from 'tap'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { sendRaw } from '../fuzz/raw-http.js'
import { MemoryStore, MAX_JOURNAL_FIELD_CHARS } from '../../server/store/memory/index.js'
import { call, FULL, serve } from '../helpers.js'

t.test('keyless requests with new session ids evict no live session', async (t) => {
  const server = await serve(t, { config: { maxSessions: 10 } })
  const created = await call(server, 'POST', '/api/v1/tickets', { body: { subject: 's', description: 'd' }, headers: { 'x-mock-session': 'live' } })
  t.equal(created.status, 201)
  // Pipelined, with long paths: the shape of the flood that once filled the heap.
  const path = `/api/v1/${'x'.repeat(14_000)}`
  for (let batch = 0; batch < 10; batch++) {
    const requests = Array.from({ length: 20 }, (_, i) => `GET ${path} HTTP/1.1\r\nHost: x\r\nX-Mock-Session: flood-${batch}-${i}\r\n\r\n`).join('')
    const exchange = await sendRaw(server.port, Buffer.from(requests), { responses: 20, timeoutMs: 10_000 })
    t.same(exchange.responses.map((r) => r.status), Array(20).fill(401), `batch ${batch}: all 401`)
  }
  t.equal((await call(server, 'GET', `/api/v1/tickets/${created.body.id}`, { headers: { 'x-mock-session': 'live' } })).status, 200, 'the live session keeps its ticket')
  t.same((await call(server, 'GET', '/__mock/sessions', { key: null })).body.sessions, ['live'], 'no session was made for the flood')
  const rejected = (await call(server, 'GET', '/__mock/rejected', { key: null })).body
  t.equal(rejected.total, 200)
  t.ok(rejected.recent.every((r: { path: string }) => r.path.length <= 201), 'the latest refusals keep a cut path')
})

t.test('admin reads of unknown sessions create nothing', async (t) => {
  const server = await serve(t, { config: { maxSessions: 2 } })
  await call(server, 'GET', '/api/v1/users', { headers: { 'x-mock-session': 'a' } })
  await call(server, 'GET', '/api/v1/users', { headers: { 'x-mock-session': 'b' } })
  for (const read of ['/__mock/journal?session=ghost', '/__mock/report?session=ghost2', '/__mock/report.xml?session=ghost3', '/__mock/report.html?session=ghost4']) {
    t.equal((await call(server, 'GET', read, { key: null })).status, 200, read)
  }
  t.same((await call(server, 'GET', '/__mock/journal?session=ghost', { key: null })).body.entries, [])
  t.same((await call(server, 'GET', '/__mock/sessions', { key: null })).body.sessions, ['a', 'b'], 'both live sessions are still there')
  t.equal((await call(server, 'GET', '/__mock/journal?session=<b>', { key: null })).status, 400, 'an impossible session id is refused')
})

t.test('journal entries keep a cut path and Idempotency-Key, and a session\'s journal is bounded in bytes', async (t) => {
  const store = new MemoryStore({ seed: {}, now: () => 0, maxJournal: 1000, maxJournalBytes: 50_000 })
  const session = store.session('s')
  const long = 'p'.repeat(20_000)
  for (let i = 0; i < 1000; i++) session.appendJournal({ at: i, method: 'GET', path: `/api/v1/tickets/${long}`, status: 404, durationMs: 0, idempotencyKey: long })
  const entries = session.journal() as Array<{ path: string; idempotencyKey: string; seq: number }>
  t.ok(entries.every((e) => e.path.length === MAX_JOURNAL_FIELD_CHARS + 1 && e.path.endsWith('…')), 'paths are cut')
  t.ok(entries.every((e) => e.idempotencyKey.length === MAX_JOURNAL_FIELD_CHARS + 1), 'keys are cut')
  const bytes = entries.reduce((n, e) => n + JSON.stringify(e).length, 0)
  t.ok(bytes < 70_000, `${entries.length} entries, ${bytes} bytes of JSON`)
  t.equal(entries.at(-1)?.seq, 1000, 'the newest entries are the ones kept')
  t.ok(entries.length > 50 && entries.length < 1000, 'the oldest were dropped for bytes, not count')
})

t.test('a flood with a valid key keeps each session\'s journal small', async (t) => {
  const server = await serve(t)
  const path = `/api/v1/${'y'.repeat(14_000)}`
  const requests = Array.from({ length: 20 }, () => `GET ${path} HTTP/1.1\r\nHost: x\r\nX-API-Key: ${FULL}\r\nX-Mock-Session: keyed\r\n\r\n`).join('')
  const exchange = await sendRaw(server.port, Buffer.from(requests), { responses: 20, timeoutMs: 10_000 })
  t.equal(exchange.responses.length, 20)
  const journal = await server.journal('keyed')
  t.equal(journal.length, 20)
  t.ok(journal.every((e) => e.path.length <= MAX_JOURNAL_FIELD_CHARS + 1), 'each kept path is cut')
})

t.test('no module keeps mutable state: caches belong to an app instance', async (t) => {
  const offenders: string[] = []
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const file = join(dir, name)
      if (statSync(file).isDirectory()) walk(file)
      else if (file.endsWith('.ts')) {
        readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
          // A lower-case module-level Map or Set is a cache; constant tables are UPPER_CASE (WeakMaps hold nothing alive).
          if (/^(?:export )?(?:const|let) [a-z]\w*(?::[^=]+)? = new (?:Map|Set)\b/.test(line)) offenders.push(`${file}:${i + 1}: ${line.trim()}`)
        })
      }
    }
  }
  walk(new URL('../../server', import.meta.url).pathname)
  t.same(offenders, [], 'module-level caches')
})

t.test('a reset of every session clears the rejection counts, from the admin API and the library alike', async (t) => {
  const server = await serve(t)
  const refuse = async (): Promise<void> => { t.equal((await call(server, 'GET', '/api/v1/tickets', { key: null })).status, 401) }
  const total = async (): Promise<number> => (await call(server, 'GET', '/__mock/rejected', { key: null })).body.total
  await refuse()
  t.equal((await call(server, 'POST', '/__mock/reset?session=other', { key: null })).status, 200)
  t.equal(await total(), 1, 'a one-session reset keeps the counts')
  t.equal((await call(server, 'POST', '/__mock/reset', { key: null })).status, 200)
  t.equal(await total(), 0, 'POST /__mock/reset clears them')
  await refuse()
  await server.reset('other')
  t.equal(await total(), 1, "mock.reset('other') keeps them")
  await server.reset()
  t.equal(await total(), 0, 'mock.reset() clears them')
})
