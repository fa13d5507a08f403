// Any HTTP request, no crash: thousands of generated requests over raw sockets against one running
// mock. Every answer is a well-formed Aurion error or a JSON success (or an empty 204), and after
// each request the server still answers /__mock/health.

import fc from 'fast-check'
import t from 'tap'
import { serve } from '../helpers.js'
import { answerProblem, aurionErrorProblem } from './aurion-answer.js'
import { checkProperty } from './fuzz-options.js'
import { garbageRequest, keepAliveRequest, requestBytes, wellFormedRequest } from './http-arbitraries.js'
import { knownAnswerBug } from './known-bugs.js'
import { headerOf, sendRaw, type RawExchange } from './raw-http.js'

/** Scripted errors (never 500, so a 500 is always a bug) on a scenario chosen with X-Mock-Scenario. */
const FUZZ_ERRORS = {
  version: 1,
  name: 'fuzz-errors',
  seed: 3,
  rules: [
    { name: 'scripted-429', match: { path: '/api/v1/**' }, chance: 0.1, status: 429, retryAfter: 1 },
    { name: 'scripted-503', match: { path: '/api/v1/**' }, chance: 0.1, status: 503, retryAfter: 2 },
    { name: 'scripted-422', match: { method: ['POST', 'PUT'] }, chance: 0.2, status: 422, details: [{ field: 'subject', message: 'scripted' }] },
    { name: 'scripted-409', match: { method: 'POST', path: '/api/v1/tickets' }, chance: 0.1, status: 409, error: 'idempotency_conflict' },
    { name: 'flapping-reads', match: { method: 'GET', path: '/api/v1/calls/**' }, flap: { up: '300ms', down: '200ms', statuses: [502, 503, 504] } }
  ]
}

const ANSWER_TIMEOUT_MS = 3000

t.test('generated HTTP requests: every answer well formed, the server keeps answering', async (t) => {
  const server = await serve(t, { scenario: ['default', FUZZ_ERRORS], config: { bodyLimit: 16_384, rateLimit: 300 } })
  const knownHits = new Map<string, number>()

  async function assertHealthy (): Promise<void> {
    const res = await fetch(`${server.url}/__mock/health`, { signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS) })
    const text = await res.text()
    if (res.status !== 200 || text !== '{"status":"ok"}') throw new Error(`health answered ${res.status} ${text}`)
  }

  /** Throws unless the exchange is acceptable; known bugs are counted instead. */
  function judge (exchange: RawExchange, request: { method: string; path: string; incomplete: boolean; body: Buffer }): void {
    if (exchange.timedOut) throw new Error(`no answer and no close within ${ANSWER_TIMEOUT_MS} ms`)
    const interim = exchange.interim.filter((r) => r.status !== 100)
    if (interim.length > 0) throw new Error(`interim status ${interim.map((r) => r.status).join(', ')}`)
    const known = (bug: string | undefined): boolean => {
      if (bug === undefined) return false
      knownHits.set(bug, (knownHits.get(bug) ?? 0) + 1)
      return true
    }
    const [first] = exchange.responses
    if (first === undefined) {
      if (request.incomplete || known(knownAnswerBug(undefined, request))) return
      throw new Error(`closed without an answer${exchange.error === undefined ? '' : ` (${exchange.error})`}`)
    }
    for (const res of exchange.responses) {
      const problem = answerProblem(res, request)
      const signature = { status: res.status, body: res.body.toString('utf8'), contentType: headerOf(res, 'content-type') }
      if (problem !== undefined && !known(knownAnswerBug(signature, request))) throw new Error(problem)
    }
    if (exchange.trailing.length > 0) {
      // Node's parser rejected the request before it knew the method, so an error body follows a
      // HEAD's answer; the connection is closed after it, so no client misreads it.
      const afterHead = request.method === 'HEAD' && exchange.closed && aurionErrorProblem(exchange.trailing.toString('utf8')) === undefined
      if (!afterHead) throw new Error(`bytes after the answer: ${JSON.stringify(exchange.trailing.toString('latin1').slice(0, 200))}`)
    }
  }

  await t.test('well-formed requests (anything Node parses): an Aurion error or a JSON success', async (t) => {
    await checkProperty(t, 'well-formed requests', fc.asyncProperty(wellFormedRequest, async (request) => {
      const exchange = await sendRaw(server.port, requestBytes(request), { method: request.method, timeoutMs: ANSWER_TIMEOUT_MS, halfClose: request.incomplete })
      judge(exchange, { method: request.method, path: request.target, incomplete: request.incomplete, body: request.body })
      await assertHealthy()
    }), { numRuns: 4000, timeLimitMs: 12_000 })
  })

  await t.test('protocol garbage: an Aurion 4xx or a closed connection, never a hang or a crash', async (t) => {
    await checkProperty(t, 'garbage requests', fc.asyncProperty(garbageRequest, async (garbage) => {
      const exchange = await sendRaw(server.port, garbage.bytes, { method: garbage.method, timeoutMs: ANSWER_TIMEOUT_MS, halfClose: garbage.incomplete })
      const firstLine = garbage.bytes.toString('latin1').split(/\r\n|\n|\r/, 1)[0] ?? ''
      const headEnd = garbage.bytes.indexOf('\r\n\r\n')
      const body = headEnd === -1 ? Buffer.alloc(0) : garbage.bytes.subarray(headEnd + 4)
      judge(exchange, { method: garbage.method, path: firstLine.split(' ')[1] ?? '', incomplete: garbage.incomplete, body })
      await assertHealthy()
    }), { numRuns: 4000, timeLimitMs: 10_000 })
  })

  await t.test('pipelined requests on one connection: answered in order, each well formed', async (t) => {
    await checkProperty(t, 'pipelined requests', fc.asyncProperty(fc.array(keepAliveRequest, { minLength: 2, maxLength: 4 }), async (requests) => {
      const bytes = Buffer.concat(requests.map(requestBytes))
      // HEAD answers carry no body; parse them all as what they are only when every method agrees.
      const method = requests.every((r) => r.method === 'HEAD') ? 'HEAD' : requests.some((r) => r.method === 'HEAD') ? undefined : 'GET'
      if (method === undefined) return
      const exchange = await sendRaw(server.port, bytes, { method, timeoutMs: ANSWER_TIMEOUT_MS, responses: requests.length })
      if (exchange.timedOut) throw new Error(`${exchange.responses.length} of ${requests.length} answers, then nothing`)
      exchange.responses.forEach((res, i) => {
        const request = requests[i]!
        const problem = answerProblem(res, { method: request.method, path: request.target })
        const signature = { status: res.status, body: res.body.toString('utf8'), contentType: headerOf(res, 'content-type') }
        if (problem !== undefined && knownAnswerBug(signature, request) === undefined) throw new Error(`answer ${i + 1}: ${problem}`)
      })
      if (exchange.responses.length < requests.length) {
        // The server may stop after an answer that closes the connection (413, 431, a parser error).
        const last = exchange.responses.at(-1)
        if (last === undefined || (headerOf(last, 'connection') !== 'close' && !exchange.closed)) {
          throw new Error(`${exchange.responses.length} of ${requests.length} answers without a close`)
        }
      }
      await assertHealthy()
    }), { numRuns: 800, timeLimitMs: 4_000 })
  })

  await t.test('afterwards: no connection is left open and the state still answers', async (t) => {
    const open = async (): Promise<number> => new Promise((resolve, reject) => {
      server.mock.app.server.getConnections((err, count) => { if (err !== null) reject(err); else resolve(count) })
    })
    let count = await open()
    for (let i = 0; i < 50 && count > 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20))
      count = await open()
    }
    t.ok(count <= 2, `open connections: ${count} (only the health check's keep-alive ones may remain)`)
    const sessions = await fetch(`${server.url}/__mock/sessions`)
    t.equal(sessions.status, 200)
    const list = await fetch(`${server.url}/api/v1/tickets?limit=1`, { headers: { 'x-api-key': 'ak_live_mock_full_access_0001', 'x-mock-session': 'after-fuzz' } })
    t.equal(list.status, 200, 'a plain request still works')
    for (const [bug, hits] of knownHits) t.comment(`known bug hit ${hits} time(s): ${bug}`)
  })
})
