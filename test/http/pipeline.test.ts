// The API pipeline in order, through inject: authenticate, rate limit, decide, idempotency,
// handler, execute; and none of it on the admin routes.

import t, { type Test } from 'tap'
import { buildApp, scenarioFromObject } from '../../server/index.js'

const KEY = 'ak_live_mock_full_access_0001'

async function appWith (t: Test, rules: unknown[], config = {}) {
  const checked = scenarioFromObject({ version: 1, name: 'pipeline', rules }, 'inline')
  if (!checked.ok) throw new Error(JSON.stringify(checked.problems))
  const mock = await buildApp({ scenarios: [checked.scenario], config: { logLevel: 'silent', ...config } })
  t.teardown(() => mock.app.close())
  return mock
}

t.test('the key is checked before anything else runs: a refused request meets no rule and no limit', async (t) => {
  const { app, store } = await appWith(t, [{ name: 'all-500', match: {}, status: 500 }], { rateLimit: 1 })
  for (let i = 0; i < 3; i++) t.equal((await app.inject({ url: '/api/v1/users' })).statusCode, 401)
  t.same(await store.sessionIds(), [], 'no session made')
  t.equal((await app.inject({ url: '/api/v1/users', headers: { 'x-api-key': KEY } })).statusCode, 500, 'the rule meets an authenticated request')
  t.equal((await app.inject({ url: '/api/v1/users', headers: { 'x-api-key': KEY } })).statusCode, 429, 'and the limit counts it')
})

t.test('a scripted answer ends the request before the handler; a committed one after it', async (t) => {
  const { app, store } = await appWith(t, [
    { name: 'early', match: { method: 'POST', path: '/api/v1/tickets', body: { subject: 'early' } }, status: 503 },
    { name: 'lost', match: { method: 'POST', path: '/api/v1/tickets', body: { subject: 'lost' } }, status: 502, commit: true }
  ])
  const post = (subject: string) => app.inject({ method: 'POST', url: '/api/v1/tickets', headers: { 'x-api-key': KEY }, payload: { subject, description: 'd' } })
  t.equal((await post('early')).statusCode, 503)
  t.equal((await post('lost')).statusCode, 502)
  const journal = await (await store.find('default'))!.journal()
  t.match(journal, [{ rule: 'early', status: 503, committed: false }, { rule: 'lost', status: 502, committed: true, resourceId: 1061 }])
})

t.test('an Idempotency-Key replay skips the handler and is journaled as a replay', async (t) => {
  const { app, store } = await appWith(t, [])
  const post = () => app.inject({ method: 'POST', url: '/api/v1/tickets', headers: { 'x-api-key': KEY, 'idempotency-key': 'k1' }, payload: { subject: 's', description: 'd' } })
  const first = await post()
  const second = await post()
  t.equal(second.headers['idempotent-replayed'], 'true')
  t.equal(second.body, first.body)
  t.match(await (await store.find('default'))!.journal(), [{ status: 201, committed: true }, { status: 201, replayed: true, committed: false }])
})

t.test('admin routes run none of the pipeline', async (t) => {
  const { app, store } = await appWith(t, [{ name: 'all-500', match: {}, status: 500 }], { rateLimit: 1 })
  for (let i = 0; i < 3; i++) t.equal((await app.inject({ url: '/__mock/health' })).statusCode, 200)
  t.same(await store.sessionIds(), [], 'nothing journaled, no session')
})
