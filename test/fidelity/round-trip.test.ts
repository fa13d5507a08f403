// Round trip, for every resource a client can write: any object the mock returns (seeded or
// created, optional fields set, null or left out) is accepted when sent back - PUT unchanged
// changes nothing, and a create body built from it makes an equal object. Generated with
// fast-check under the suite's fixed seed (test/fuzz/fuzz-options.ts), over real HTTP. Users,
// calls and usage are read-only: nothing goes back.

import fc from 'fast-check'
import t from 'tap'
import { ManualClock, type MockServer } from '../../server/index.js'
import { call, serve, type JsonResponse } from '../helpers.js'
import { checkProperty } from '../fuzz/fuzz-options.js'
import { readmeSays } from './readme-counts.js'
import { PRIORITIES, TICKET_STATUSES } from '../../server/api/schemas/tickets.js'
import { KB_STATUSES } from '../../server/api/schemas/kb.js'
import { WEBHOOK_EVENTS } from '../../server/api/schemas/webhooks.js'

/** Cases per resource in CI (FUZZ_RUNS multiplies them); the README quotes their sum. */
export const ROUND_TRIP_RUNS = { tickets: 60, kb: 40, notes: 30, webhooks: 30, configuration: 30 } as const

type Obj = Record<string, unknown>

const text = (max: number) => fc.string({ minLength: 1, maxLength: max, unit: 'grapheme' })
const nullable = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null })
const pick = (o: Obj, keys: readonly string[]): Obj => Object.fromEntries(keys.filter((k) => k in o).map((k) => [k, o[k]]))
/** A PUT stamps updated_at with the clock's time; everything else must be as it was. */
const NOW = '2026-01-01T00:00:00Z'
const stamped = (o: Obj): Obj => ({ ...o, updated_at: NOW })

/** A request in its own session, so every case starts from the seed. */
function client (server: MockServer, session: string) {
  return (method: string, path: string, body?: unknown): Promise<JsonResponse> =>
    call(server, method, path, { headers: { 'x-mock-session': session }, ...(body !== undefined ? { body } : {}) })
}

function expectStatus (res: JsonResponse, status: number, what: string): void {
  if (res.status !== status) throw new Error(`${what}: ${res.status} ${res.text}`)
}

function expectSame (actual: unknown, expected: unknown, what: string): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) throw new Error(`${what}: ${JSON.stringify(actual)} is not ${JSON.stringify(expected)}`)
}

let sessions = 0
const nextSession = (kind: string) => `rt-${kind}-${++sessions}`

t.test('round trip over real HTTP, every writable resource', async (t) => {
  // A manual clock: every write is stamped with one known time, so "unchanged" is checked byte
  // for byte (a seeded record's older updated_at aside, which the PUT moves to that time).
  const server = await serve(t, { clock: new ManualClock(), config: { rateLimit: 0, maxSessions: 5000, webhookHosts: ['*'] } })

  const TICKET_CREATE_FIELDS = ['subject', 'description', 'status', 'priority', 'category', 'requester_email'] as const
  const ticketBody = fc.record({
    subject: text(80),
    description: text(200),
    priority: fc.constantFrom(...PRIORITIES),
    status: fc.constantFrom(...TICKET_STATUSES),
    category: nullable(text(30)),
    requester_email: nullable(fc.emailAddress())
  }, { requiredKeys: ['subject', 'description'] })
  let ticketsAllUnset = 0
  await checkProperty(t, 'tickets: seeded or created, maybe closed with a resolution', fc.asyncProperty(
    fc.oneof(fc.integer({ min: 1001, max: 1060 }), fc.record({ subject: text(80), description: text(200) }), ticketBody),
    fc.option(fc.option(text(60), { nil: undefined }), { nil: null }),
    async (source, close) => {
      const api = client(server, nextSession('tickets'))
      let id: number
      if (typeof source === 'number') id = source
      else {
        if (Object.keys(source).length === 2) ticketsAllUnset++
        const created = await api('POST', '/api/v1/tickets', source)
        expectStatus(created, 201, 'create')
        id = created.body.id
      }
      // null: left open; undefined: closed without a resolution; a string: closed with it.
      if (close !== null) expectStatus(await api('POST', `/api/v1/tickets/${id}/close`, close === undefined ? undefined : { resolution: close }), 200, 'close')
      const read = (await api('GET', `/api/v1/tickets/${id}`)).body as Obj
      const put = await api('PUT', `/api/v1/tickets/${id}`, read)
      expectStatus(put, 200, 'PUT of the ticket as read')
      expectSame(put.body, stamped(read), 'the PUT answer')
      expectSame((await api('GET', `/api/v1/tickets/${id}`)).body, stamped(read), 'the ticket after the PUT')
      const listed = ((await api('GET', '/api/v1/tickets?limit=100')).body.data as Obj[]).find((x) => x.id === id)
      expectSame(listed, stamped(read), 'the list item')
      const copy = await api('POST', '/api/v1/tickets', read)
      expectStatus(copy, 201, 'create from the ticket as read')
      expectSame(pick(copy.body, TICKET_CREATE_FIELDS), pick(read, TICKET_CREATE_FIELDS), 'the copy')
    }), { numRuns: ROUND_TRIP_RUNS.tickets, timeLimitMs: 30_000 })
  t.ok(ticketsAllUnset > 0, `created tickets with every optional field left out: ${ticketsAllUnset}`)

  const KB_CREATE_FIELDS = ['title', 'content_html', 'category', 'folder', 'tags', 'status'] as const
  const kbBody = fc.record({
    title: text(80),
    content_html: text(200).map((s) => `<p>${s}</p>`),
    category: nullable(text(30)),
    folder: nullable(text(30)),
    tags: fc.array(text(15), { maxLength: 4 }),
    status: fc.constantFrom(...KB_STATUSES)
  }, { requiredKeys: ['title', 'content_html'] })
  let kbAllUnset = 0
  await checkProperty(t, 'KB articles: seeded or created; the detail and the list summary go back', fc.asyncProperty(
    fc.oneof(fc.integer({ min: 101, max: 120 }), fc.record({ title: text(80), content_html: text(200) }), kbBody),
    async (source) => {
      const api = client(server, nextSession('kb'))
      let id: number
      if (typeof source === 'number') id = source
      else {
        if (Object.keys(source).length === 2) kbAllUnset++
        const created = await api('POST', '/api/v1/kb/articles', source)
        expectStatus(created, 201, 'create')
        id = created.body.id
      }
      const read = (await api('GET', `/api/v1/kb/articles/${id}`)).body as Obj
      const put = await api('PUT', `/api/v1/kb/articles/${id}`, read)
      expectStatus(put, 200, 'PUT of the article as read')
      expectSame(put.body, stamped(read), 'the PUT answer')
      const summary = ((await api('GET', '/api/v1/kb/articles?limit=100')).body.data as Obj[]).find((x) => x.id === id)
      const putSummary = await api('PUT', `/api/v1/kb/articles/${id}`, summary)
      expectStatus(putSummary, 200, 'PUT of the list summary')
      expectSame(putSummary.body, stamped(read), 'the article after the summary went back')
      const copy = await api('POST', '/api/v1/kb/articles', read)
      expectStatus(copy, 201, 'create from the article as read')
      expectSame(pick(copy.body, KB_CREATE_FIELDS), pick(read, KB_CREATE_FIELDS), 'the copy')
    }), { numRuns: ROUND_TRIP_RUNS.kb, timeLimitMs: 30_000 })
  t.ok(kbAllUnset > 0, `created articles with every optional field left out: ${kbAllUnset}`)

  await checkProperty(t, 'notes: a note answer posted again makes an equal note', fc.asyncProperty(
    fc.integer({ min: 1001, max: 1060 }),
    fc.record({ body: text(200), private: fc.boolean() }, { requiredKeys: ['body'] }),
    async (ticketId, body) => {
      const api = client(server, nextSession('notes'))
      const note = await api('POST', `/api/v1/tickets/${ticketId}/notes`, body)
      expectStatus(note, 201, 'note')
      const again = await api('POST', `/api/v1/tickets/${ticketId}/notes`, note.body)
      expectStatus(again, 201, 'note from the note answer')
      expectSame(pick(again.body, ['ticket_id', 'body', 'private']), pick(note.body, ['ticket_id', 'body', 'private']), 'the copy')
    }), { numRuns: ROUND_TRIP_RUNS.notes, timeLimitMs: 20_000 })

  await checkProperty(t, 'webhooks: the create answer and the list item each make the subscription again', fc.asyncProperty(
    fc.webUrl({ validSchemes: ['https', 'http'] }),
    fc.subarray([...WEBHOOK_EVENTS], { minLength: 1 }),
    fc.option(text(40), { nil: undefined }),
    async (url, events, secret) => {
      const api = client(server, nextSession('webhooks'))
      const created = await api('POST', '/api/v1/webhooks', secret === undefined ? { url, events } : { url, events, secret })
      expectStatus(created, 201, 'create')
      const listed = ((await api('GET', '/api/v1/webhooks')).body.webhooks as Obj[])[0] as Obj
      expectStatus(await api('DELETE', `/api/v1/webhooks/${String(created.body.id)}`), 204, 'delete')
      const fromList = await api('POST', '/api/v1/webhooks', listed)
      expectStatus(fromList, 201, 'create from the list item')
      expectSame(pick(fromList.body, ['url', 'events', 'active']), pick(created.body, ['url', 'events', 'active']), 'from the list item')
      expectStatus(await api('DELETE', `/api/v1/webhooks/${String(fromList.body.id)}`), 204, 'delete')
      const fromAnswer = await api('POST', '/api/v1/webhooks', created.body)
      expectStatus(fromAnswer, 201, 'create from the create answer')
      expectSame(pick(fromAnswer.body, ['url', 'events', 'secret', 'active']), pick(created.body, ['url', 'events', 'secret', 'active']), 'from the create answer')
    }), { numRuns: ROUND_TRIP_RUNS.webhooks, timeLimitMs: 20_000 })

  const key = fc.string({ minLength: 1, maxLength: 12 }).filter((k) => k !== '__proto__' && k !== 'constructor')
  await checkProperty(t, 'configuration: a section read is PUT back unchanged', fc.asyncProperty(
    fc.oneof(fc.constantFrom('general', 'ticketing'), fc.tuple(fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,20}$/), fc.dictionary(key, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 6 }))),
    async (source) => {
      const api = client(server, nextSession('configuration'))
      let section: string
      if (typeof source === 'string') section = source
      else {
        section = source[0]
        expectStatus(await api('PUT', `/api/v1/configuration/${section}`, source[1]), 200, 'first PUT')
      }
      const read = (await api('GET', `/api/v1/configuration/${section}`)).body as unknown
      const put = await api('PUT', `/api/v1/configuration/${section}`, read)
      expectStatus(put, 200, 'PUT of the section as read')
      expectSame(put.body, read, 'the PUT answer')
      expectSame((await api('GET', `/api/v1/configuration/${section}`)).body, read, 'the section after the PUT')
    }), { numRuns: ROUND_TRIP_RUNS.configuration, timeLimitMs: 20_000 })

  const { tickets, kb, notes, webhooks, configuration } = ROUND_TRIP_RUNS
  const total = tickets + kb + notes + webhooks + configuration
  t.ok(readmeSays(`**Round trip:** ${total} generated cases (${tickets} tickets, ${kb} KB articles, ${notes} notes, ${webhooks} webhooks, ${configuration} configuration sections;`), 'the README counts the cases')
})
