// Scenario activation is store state: the server's survives a reset of every session, a session's
// goes with its session, and the scenario the server has active is never forgotten by the registry.

import t from 'tap'
import { call, serve } from '../helpers.js'

const posted = (name: string) => `version: 1\nname: ${name}\nrules:\n  - name: all-down\n    match: { path: /api/v1/users }\n    status: 500\n`
const post = (url: string, name: string, session?: string) => fetch(`${url}/__mock/scenarios/activate`, { method: 'POST', headers: { 'content-type': 'application/yaml', ...(session !== undefined ? { 'x-mock-session': session } : {}) }, body: posted(name) })

t.test('the server\'s activation survives a reset; a session\'s goes with the session', async (t) => {
  const server = await serve(t)
  t.equal((await post(server.url, 'global-down')).status, 200)
  t.equal((await call(server, 'POST', '/__mock/scenarios/activate?session=calm', { key: null, body: { name: 'default' } })).status, 200)
  const users = (session?: string) => call(server, 'GET', '/api/v1/users', session === undefined ? {} : { headers: { 'x-mock-session': session } })
  t.same([(await users()).status, (await users('calm')).status], [500, 200])
  await call(server, 'POST', '/__mock/reset?session=calm', { key: null })
  t.equal((await users('calm')).status, 500, 'a reset session has the server\'s scenario again')
  await call(server, 'POST', '/__mock/reset', { key: null })
  t.equal((await users()).status, 500, 'resetting every session keeps the server\'s scenario')
  t.equal((await call(server, 'GET', '/__mock/scenarios', { key: null })).body.default, 'global-down')
})

t.test('the scenario the server has active is kept however many are posted after it', async (t) => {
  const server = await serve(t)
  t.equal((await post(server.url, 'keep-me')).status, 200)
  for (let i = 0; i < 40; i++) t.equal((await post(server.url, `s${i}`, 'other')).status, 200)
  t.equal((await call(server, 'GET', '/api/v1/users')).status, 500, 'still answering with the active scenario')
  t.equal((await call(server, 'POST', '/__mock/scenarios/activate', { key: null, body: { name: 's0' } })).status, 404, 'older posts were forgotten')
})
