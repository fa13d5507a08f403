// The documented-examples corpus: every request example of the Aurion API notes and the README
// (documented-examples.ts), sent over real HTTP with its documented answer checked - status,
// body, headers - and a check that the corpus covers every endpoint the README lists.

import t from 'tap'
import { readFileSync } from 'node:fs'
import { DEFAULT_KEYS, ManualClock, type MockServer } from '../../server/index.js'
import { compilePath } from '../../server/scenario/match.js'
import { call, serve, type JsonResponse } from '../helpers.js'
import { apiRoutes } from './api-routes.js'
import { EXAMPLES, WRITE_ONLY, type Step } from './documented-examples.js'
import { readmeSays } from './readme-counts.js'

/** Scripted statuses the docs name but a healthy server never answers, chosen by a header. */
const DOC_FAULTS = {
  version: 1,
  name: 'doc-faults',
  rules: [500, 502, 504].map((status) => ({ name: `status-${status}`, match: { headers: { 'x-doc-status': String(status) } }, status }))
}

/** The endpoints of the README's "The API" table, as `METHOD /api/v1/path`. */
function readmeEndpoints (): string[] {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
  const table = /\| endpoint \| notes \|\n\| --- \| --- \|\n((?:\|.*\n)+)/.exec(readme)
  if (table === null) throw new Error('README has no endpoint table')
  return table[1]!.split('\n').flatMap((row) => [...(row.split('|')[1] ?? '').matchAll(/`(GET|POST|PUT|PATCH|DELETE) ([^`]+)`/g)].map((m) => `${m[1]} /api/v1${m[2]}`))
}

/** The method and path of each example's request, as sent (for the coverage check). */
const sent: { method: string; path: string }[] = []

function pathOf (step: Step, before: JsonResponse[]): string {
  return typeof step.path === 'function' ? step.path(before) : step.path
}

async function send (server: MockServer, step: Step, session: string, before: JsonResponse[]): Promise<JsonResponse> {
  const path = pathOf(step, before)
  return call(server, step.method, path, {
    ...(step.key !== undefined ? { key: step.key } : {}),
    headers: { 'x-mock-session': session, ...step.headers },
    ...(step.body !== undefined ? { body: step.body } : {}),
    ...(step.raw !== undefined ? { raw: step.raw } : {})
  })
}

t.test('every documented request example gets its documented answer', async (t) => {
  const keys = { ...DEFAULT_KEYS, [WRITE_ONLY]: ['tickets:write' as const] }
  const clock = new ManualClock()
  const servers = {
    main: await serve(t, { scenario: ['default', 'maintenance', DOC_FAULTS], config: { keys, webhookHosts: ['your-app.com'] } }),
    limited: await serve(t, { clock, config: { rateLimit: 1, rateLimitWindowMs: 60_000 } }),
    small: await serve(t, { config: { maxRecords: 60 } })
  }
  let n = 0
  for (const example of EXAMPLES) {
    await t.test(`${example.source}: ${example.title}`, async (t) => {
      const server = servers[example.server ?? 'main']
      const session = `doc-${++n}`
      const before: JsonResponse[] = []
      for (const step of example.setup ?? []) before.push(await send(server, step, session, before))
      if (example.advanceMs !== undefined) clock.advance(example.advanceMs)
      const res = await send(server, example, session, before)
      sent.push({ method: example.method, path: pathOf(example, before).split('?')[0]! })
      t.equal(res.status, example.status, 'status')
      if (example.exact !== undefined) t.same(res.body, example.exact, 'body')
      if (example.answer !== undefined) t.match(res.body, example.answer, 'body shape')
      if (example.keys !== undefined) t.same(Object.keys(res.body).sort(), [...example.keys].sort(), 'fields')
      if (example.itemKeys !== undefined) {
        const items = (res.body.data ?? []) as Record<string, unknown>[]
        t.ok(items.length > 0 && items.every((item) => Object.keys(item).sort().join() === [...example.itemKeys!].sort().join()), `item fields: ${example.itemKeys.join(', ')}`)
      }
      if (res.status !== 204) t.match(res.headers.get('content-type'), /^application\/json/, 'a JSON answer')
      for (const [name, want] of Object.entries(example.answerHeaders ?? {})) {
        if (want === null) t.equal(res.headers.get(name), null, `no ${name}`)
        else if (typeof want === 'string') t.equal(res.headers.get(name), want, name)
        else t.match(res.headers.get(name), want, name)
      }
      const wrong = example.check?.(res, before)
      t.equal(wrong, undefined, wrong ?? 'documented behaviour')
    })
  }
  t.ok(readmeSays(`**Documented examples:** ${EXAMPLES.length} requests`), `the README counts ${EXAMPLES.length} documented examples`)
})

t.test('the corpus covers every endpoint of the README, and the README every route', async (t) => {
  const listed = readmeEndpoints()
  const routes = (await apiRoutes()).map((r) => `${r.method} ${r.url}`)
  t.same([...listed].sort(), [...routes].sort(), 'the README\'s endpoint table lists exactly the served routes')
  for (const endpoint of listed) {
    const [method, pattern] = endpoint.split(' ') as [string, string]
    const matches = compilePath(pattern)
    const examples = sent.filter((e) => e.method === method && matches(e.path)).length
    t.ok(examples > 0, `${endpoint}: ${examples} examples`)
  }
})
