// Regression (issue 18, item 3): a text/plain body reached validation and got 422 on `body`; a body
// that is not JSON is 400 bad_request (decision 2 of the API notes), like a form or vnd+json body.

import t from 'tap'
import { call, serve } from '../helpers.js'

t.test('a body that is not JSON is 400 bad_request whatever its type', async (t) => {
  const server = await serve(t)
  for (const type of ['text/plain', 'text/plain; charset=utf-8', 'application/x-www-form-urlencoded', 'application/vnd+json', 'application/xml']) {
    const res = await call(server, 'POST', '/api/v1/tickets', { raw: '{"subject":"s","description":"d"}', headers: { 'content-type': type } })
    t.equal(res.status, 400, type)
    t.same(res.body, { error: 'bad_request', message: 'Content-Type must be application/json' }, type)
  }
  const put = await call(server, 'PUT', '/api/v1/configuration/general', { raw: 'a=b', headers: { 'content-type': 'text/plain' } })
  t.equal(put.status, 400, 'on every API route')
})

t.test('the API\'s body parsers stay in the API: the admin API still takes YAML', async (t) => {
  const server = await serve(t)
  const res = await call(server, 'POST', '/__mock/scenarios/activate', { key: null, raw: 'version: 1\nname: posted\nrules: []\n', headers: { 'content-type': 'application/yaml' } })
  t.equal(res.status, 200, res.text)
})
