// A session in the base URL (`/s/<id>/api/v1/...`), over real HTTP: the same world as
// X-Mock-Session, counted per session by rules, the limiter and idempotency, journaled and graded
// under its id, and the library's handles on it (mock.session, sessionAt).

import t from 'tap'
import { verify } from '../../server/cli/verify.js'
import { RetryPolicyError, sessionAt } from '../../server/index.js'
import { call, serve } from '../helpers.js'

const COUNTED = {
  version: 1,
  name: 'counted',
  rules: [{ name: 'users-503-times-3', match: { method: 'GET', path: '/api/v1/users' }, sequence: [{ times: 3, status: 503 }, 'pass'] }]
}
const TICKET = { subject: 'VPN down', description: 'Since this morning' }

t.test('one server, sessions by URL', async (t) => {
  const server = await serve(t, { scenario: COUNTED, config: { rateLimit: 5 } })
  const statuses = async (path: string, n: number): Promise<number[]> => {
    const out: number[] = []
    for (let i = 0; i < n; i++) out.push((await call(server, 'GET', path)).status)
    return out
  }

  t.test('a ticket made through /s/a/ is seen with X-Mock-Session: a, not through /s/b/', async (t) => {
    const created = await call(server, 'POST', '/s/a/api/v1/tickets', { body: TICKET })
    t.equal(created.status, 201)
    const id = created.body.id as number
    t.equal((await call(server, 'GET', `/s/b/api/v1/tickets/${id}`)).status, 404, 'not in session b')
    t.match((await call(server, 'GET', `/api/v1/tickets/${id}`, { headers: { 'x-mock-session': 'a' } })).body, { id, subject: 'VPN down' })
    t.equal((await call(server, 'GET', `/api/v1/tickets/${id}`)).status, 404, 'not in the default session')
    const journal = (await call(server, 'GET', '/__mock/journal?session=a', { key: null })).body
    t.same(journal.entries.map((e: { method: string; path: string }) => `${e.method} ${e.path}`), ['POST /api/v1/tickets', `GET /api/v1/tickets/${id}`], 'journaled without the prefix')
    t.same((await call(server, 'GET', '/s/a/__mock/journal', { key: null })).body, journal, 'the admin API behind the prefix reads session a')
  })

  t.test('a times: 3 rule and the rate limit count per base-URL session', async (t) => {
    t.same(await statuses('/s/c/api/v1/users', 5), [503, 503, 503, 200, 200])
    t.same(await statuses('/s/d/api/v1/users', 2), [503, 503], 'session d counts from the start')
    t.equal((await call(server, 'GET', '/s/c/api/v1/users')).status, 429, 'the sixth request of c in the window')
    t.equal((await call(server, 'GET', '/api/v1/users', { headers: { 'x-mock-session': 'c' } })).status, 429, 'the header names the same bucket')
    t.equal((await call(server, 'GET', '/s/d/api/v1/users')).status, 503, 'd has its own bucket and step')
  })

  t.test('Idempotency-Keys are per base-URL session', async (t) => {
    const key = { 'idempotency-key': 'idem_url_1' }
    t.equal((await call(server, 'POST', '/s/e/api/v1/tickets', { body: TICKET, headers: key })).status, 201)
    t.match(await call(server, 'POST', '/s/e/api/v1/tickets', { body: { ...TICKET, subject: 'Other' }, headers: key }), { status: 409, body: { error: 'idempotency_conflict' } })
    t.equal((await call(server, 'POST', '/s/f/api/v1/tickets', { body: { ...TICKET, subject: 'Other' }, headers: key })).status, 201, 'the same key in f is new')
  })

  t.test('the report, the admin API and verify --session grade requests made through /s/<id>/', async (t) => {
    t.same(await statuses('/s/g/api/v1/users', 2), [503, 503], 'a retry with no wait')
    const report = (await call(server, 'GET', '/__mock/report?session=g', { key: null })).body
    t.match(report, { session: 'g', summary: { ok: false, operations: 1 } })
    t.ok(report.operations[0].checks.some((c: { name: string; passed: boolean }) => c.name === 'backoff' && !c.passed), 'backoff failed')
    t.same((await call(server, 'GET', '/s/g/__mock/report', { key: null })).body, report, 'the same report behind the prefix')
    const lines: string[] = []
    const code = await verify(['--url', server.url, '--session', 'g'], {}, { stdout: (l) => lines.push(l), stderr: (l) => lines.push(l) })
    t.equal(code, 1, 'verify --session g exits 1')
    t.match(lines.join('\n'), /session g: FAIL[\s\S]*✗ backoff: retry 1 came/)
    const text = await call(server, 'GET', '/s/g/__mock/report.txt', { key: null })
    t.match(text.headers.get('content-type'), 'text/plain')
    t.equal(text.text, lines.join('\n'), '/__mock/report.txt is the text verify prints')

    const fromBaseUrl: string[] = []
    t.equal(await verify(['--url', `${server.url}/s/g/`], {}, { stdout: (l) => fromBaseUrl.push(l), stderr: (l) => fromBaseUrl.push(l) }), 1, 'verify --url <mock>/s/g grades g')
    t.same(fromBaseUrl, lines, 'the same report as --session g')
    const disagree: string[] = []
    t.equal(await verify(['--url', `${server.url}/s/g`, '--session', 'h'], {}, { stdout: (l) => disagree.push(l), stderr: (l) => disagree.push(l) }), 2, 'URL and --session disagree: a usage error')
    t.match(disagree.join('\n'), /answered 400 for the report of session h: /)

    t.equal((await call(server, 'GET', '/s/g/__mock/journal?session=h', { key: null })).status, 400, 'URL and ?session= disagree')
    t.same((await call(server, 'POST', '/s/g/__mock/reset', { key: null })).body, { reset: 'g' }, 'reset behind the prefix forgets g only')
    const sessions = (await call(server, 'GET', '/__mock/sessions', { key: null })).body.sessions as string[]
    t.notOk(sessions.includes('g'))
    t.ok(['a', 'c', 'd', 'e', 'f'].every((id) => sessions.includes(id)), 'the others are kept')
  })

  t.test('mock.session(): base URL, header, journal, report, reset and the policy assertion', async (t) => {
    const session = server.session('lib')
    t.equal(session.baseUrl, `${server.url}/s/lib`)
    t.same(session.headers, { 'x-mock-session': 'lib' })
    t.same([server.session().id, server.session().id], ['session-1', 'session-2'], 'unnamed sessions are numbered')
    t.throws(() => server.session('../x'), TypeError, 'an id the mock would refuse')
    t.same(await session.assertPolicy(), await session.report(), 'a session without requests passes')

    const key = { 'x-api-key': 'ak_live_mock_full_access_0001' }
    t.equal((await fetch(`${session.baseUrl}/api/v1/users`, { headers: key })).status, 503)
    t.equal((await fetch(`${session.baseUrl}/api/v1/users`, { headers: key })).status, 503)
    t.equal((await session.journal()).length, 2)
    const failure = await session.assertPolicy().then(() => undefined, (err: unknown) => err)
    t.ok(failure instanceof RetryPolicyError, 'a RetryPolicyError')
    if (failure instanceof RetryPolicyError) {
      t.match(failure.message, /^aurion-mock retry report · session lib: FAIL\n[\s\S]*✗ backoff: retry 1 came/, 'its message is the report\'s text')
      t.equal(failure.code, 'AURION_MOCK_RETRY_POLICY')
      t.equal(failure.report.summary.ok, false)
      t.notOk(Object.keys(failure).includes('report'), 'the report object is not enumerable (runners print own properties)')
    }

    const remote = sessionAt(server.url, 'lib')
    t.same(await remote.journal(), await session.journal(), 'sessionAt reads the same session through the admin API')
    await t.rejects(remote.assertPolicy(), RetryPolicyError)
    await remote.reset()
    t.same(await session.journal(), [], 'reset through either handle')
    t.equal((await fetch(`${session.baseUrl}/api/v1/users`, { headers: key })).status, 503, 'the rule starts over')
  })
})
