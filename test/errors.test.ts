// The error catalogue: declared once, complete, and what an unexpected exception turns into.

import t from 'tap'
import { ERRORS, codeForStatus, errorBody, rateLimitMessage } from '../server/errors.js'
import { buildApp } from '../server/index.js'

t.test('every code is declared once with a status and a message', async (t) => {
  const codes = Object.keys(ERRORS)
  t.equal(codes.length, 17, 'a new code is a deliberate change: update this count and the README table')
  for (const [code, { status, message }] of Object.entries(ERRORS)) {
    t.match(code, /^[a-z][a-z_]*$/)
    t.ok(status >= 400 && status <= 599, `${code} has an error status`)
    t.ok(message.length > 0)
  }
})

t.test('the documented codes map to their statuses', async (t) => {
  t.same([400, 401, 403, 404, 405, 409, 413, 422, 429, 500, 503].map(codeForStatus),
    ['bad_request', 'unauthorized', 'forbidden', 'not_found', 'method_not_allowed', 'conflict', 'payload_too_large', 'validation_error', 'rate_limit_exceeded', 'internal_error', 'service_unavailable'])
  t.equal(ERRORS.idempotency_conflict.status, 409)
  t.equal(codeForStatus(418), 'bad_request', 'unlisted 4xx')
  t.equal(codeForStatus(599), 'internal_error', 'unlisted 5xx')
  t.equal(rateLimitMessage(12), 'Rate limit exceeded. Retry after 12 seconds.')
  t.same(errorBody('not_found'), { error: 'not_found', message: 'Resource not found' })
})

t.test('an unexpected exception is a 500 internal_error that tells nothing of the bug', async (t) => {
  const { app } = await buildApp({ config: { logLevel: 'silent' } })
  app.get('/api/v1/tickets/boom', async () => { throw new TypeError('secret internals') })
  t.teardown(() => app.close())
  const res = await app.inject({ url: '/api/v1/tickets/boom', headers: { 'x-api-key': 'ak_live_mock_full_access_0001' } })
  t.equal(res.statusCode, 500)
  t.same(res.json(), { error: 'internal_error', message: 'Internal server error' })
})

t.test('the mock\'s own errors are declared once, each with a code its classes carry', async (t) => {
  const { INTERNAL_ERRORS, MockError, ConfigError, ScenarioError, CapacityError } = await import('../server/errors.js')
  t.equal(Object.keys(INTERNAL_ERRORS).length, 6, 'a new code is a deliberate change: update this count')
  for (const code of Object.keys(INTERNAL_ERRORS)) t.match(code, /^AURION_MOCK_[A-Z_]+$/)
  const made = [new ConfigError('--port: bad'), new ScenarioError(['a.yaml:1:1: bad']), new CapacityError('tickets', 10)]
  t.same(made.map((e) => e.code), ['AURION_MOCK_CONFIG', 'AURION_MOCK_SCENARIO', 'AURION_MOCK_CAPACITY'])
  t.ok(made.every((e) => e instanceof MockError && e instanceof Error))
  t.same(made.map((e) => e.name), ['ConfigError', 'ScenarioError', 'CapacityError'])
})

t.test('a bad option given to the library is a ConfigError with its code', async (t) => {
  const { resolveConfig } = await import('../server/config.js')
  t.throws(() => resolveConfig(['--port', 'x'], {}), { code: 'AURION_MOCK_CONFIG', name: 'ConfigError' })
})
