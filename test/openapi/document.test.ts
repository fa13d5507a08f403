// The OpenAPI document: served as JSON and YAML, valid OpenAPI 3.1, every Aurion operation with
// its scope, the same from the CLI and the shipped file; and the helpers' contract check, which
// holds every answer of the end-to-end suites to it, fails on a mismatch.

import t from 'tap'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Validator } from '@seriousme/openapi-schema-validator'
import { parse } from 'yaml'
import { main } from '../../server/cli/main.js'
import { requiredScope } from '../../server/auth/keys.js'
import { checkAnswer } from '../contract.js'
import { call, serve } from '../helpers.js'
import { ensureBuilt, REPO_ROOT } from '../library/built.js'

/** Every operation of the Aurion API the mock serves. */
const AURION_OPERATIONS = [
  'GET /api/v1/tickets', 'POST /api/v1/tickets', 'GET /api/v1/tickets/{id}', 'PUT /api/v1/tickets/{id}',
  'POST /api/v1/tickets/{id}/notes', 'POST /api/v1/tickets/{id}/close',
  'GET /api/v1/kb/articles', 'POST /api/v1/kb/articles', 'GET /api/v1/kb/articles/{id}', 'PUT /api/v1/kb/articles/{id}',
  'GET /api/v1/users', 'GET /api/v1/users/{id}',
  'GET /api/v1/webhooks', 'POST /api/v1/webhooks', 'DELETE /api/v1/webhooks/{id}',
  'GET /api/v1/calls', 'GET /api/v1/calls/{id}',
  'GET /api/v1/usage/summary', 'GET /api/v1/usage/details',
  'GET /api/v1/configuration/{section}', 'PUT /api/v1/configuration/{section}'
]

interface Operation { tags: string[]; requestBody?: unknown; security: Record<string, string[]>[]; responses: Record<string, { headers?: Record<string, unknown> }>; parameters?: { in: string; name: string }[] }
interface Document { openapi: string; paths: Record<string, Record<string, Operation>>; components: { securitySchemes: Record<string, { type: string; in?: string; name?: string; description?: string }>; schemas: Record<string, unknown> } }

function operations (doc: Document): Array<[string, Operation]> {
  return Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]): [string, Operation] => [`${method.toUpperCase()} ${path}`, op]))
}

t.test('GET /__mock/openapi.json is a valid OpenAPI 3.1 document of every Aurion operation, with its scope', async (t) => {
  const server = await serve(t)
  const res = await fetch(`${server.url}/__mock/openapi.json`)
  t.equal(res.status, 200)
  t.match(res.headers.get('content-type'), /^application\/json/)
  const text = await res.text()
  const doc = JSON.parse(text) as Document
  const result = await new Validator().validate(text)
  t.same(result, { valid: true }, 'passes the OpenAPI 3.1 schema validator')
  t.equal(doc.openapi, '3.1.0')

  const ops = operations(doc)
  t.same(ops.map(([name]) => name).filter((n) => n.includes(' /api/')).sort(), [...AURION_OPERATIONS].sort(), 'every Aurion operation, and no other')
  t.same(doc.components.securitySchemes.ApiKey, { type: 'apiKey', in: 'header', name: 'X-API-Key', description: doc.components.securitySchemes.ApiKey?.description ?? '' })
  for (const [name, op] of ops.filter(([n]) => n.includes(' /api/'))) {
    const [method = '', path = ''] = name.split(' ')
    t.same(op.security, [{ ApiKey: [requiredScope(method, path)] }], `${name} needs ${requiredScope(method, path)}`)
    for (const status of ['400', '401', '403', '429', '500', '503']) t.ok(op.responses[status], `${name} documents ${status}`)
    t.ok(op.responses['429']?.headers?.['Retry-After'], `${name}: Retry-After on 429`)
    if (method !== 'GET') {
      t.ok(op.parameters?.some((p) => p.in === 'header' && p.name === 'Idempotency-Key'), `${name} takes Idempotency-Key`)
      t.ok(op.responses['409'] && op.responses['413'], `${name} documents 409 and 413`)
      if (op.requestBody !== undefined) t.ok(op.responses['422'], `${name} takes a body: documents 422`)
      const success = Object.keys(op.responses).find((s) => s.startsWith('2'))!
      t.ok(op.responses[success]?.headers?.['Idempotent-Replayed'], `${name}: Idempotent-Replayed on a replayed ${success}`)
    }
  }
  t.ok(doc.components.schemas.AurionError, 'the Aurion error is a shared component')
  const admin = ops.filter(([name]) => name.includes(' /__mock/'))
  t.ok(admin.length >= 12 && admin.every(([, op]) => op.tags.includes('admin')), 'the admin API is described, in its own tag')

  const yaml = await fetch(`${server.url}/__mock/openapi.yaml`)
  t.match(yaml.headers.get('content-type'), /^application\/yaml/)
  t.same(parse(await yaml.text()), doc, 'the YAML is the same document')
})

t.test('real list, get, create, 404, 422 and usage answers pass the contract check', async (t) => {
  const server = await serve(t)
  // call() checks each answer against the document and throws on a mismatch.
  t.equal((await call(server, 'GET', '/api/v1/tickets?limit=5')).status, 200)
  t.equal((await call(server, 'GET', '/api/v1/tickets/1001')).status, 200)
  t.equal((await call(server, 'POST', '/api/v1/tickets', { body: { subject: 'Printer', description: 'Jammed' } })).status, 201)
  t.equal((await call(server, 'GET', '/api/v1/tickets/999999')).status, 404)
  t.equal((await call(server, 'POST', '/api/v1/tickets', { body: { subject: '' } })).status, 422)
  t.equal((await call(server, 'GET', '/api/v1/usage/summary')).status, 200)
  t.equal((await call(server, 'GET', '/api/v1/usage/details?group_by=week')).status, 200)
  t.equal((await call(server, 'GET', '/api/v1/nowhere')).status, 404, 'an unknown path answers an Aurion error')
})

t.test('the contract check fails naming the operation, the status and the field', async (t) => {
  const server = await serve(t)
  const res = await fetch(`${server.url}/api/v1/tickets/1001`, { headers: { 'x-api-key': 'ak_live_mock_full_access_0001' } })
  const ticket = await res.json() as Record<string, unknown>
  const check = (status: number, body: unknown) => () => checkAnswer(server, 'GET', '/api/v1/tickets/1001', status, res.headers, JSON.stringify(body))
  t.doesNotThrow(check(200, ticket), 'the real answer passes')
  t.throws(check(200, { ...ticket, status: 'weird' }), /contract: GET \/api\/v1\/tickets\/\{id\} 200: \/status must be equal to one of the allowed values/)
  const { subject: _subject, ...noSubject } = ticket
  t.throws(check(200, noSubject), /contract: GET \/api\/v1\/tickets\/\{id\} 200: \(body\)\.subject must have required property 'subject'/)
  t.throws(check(200, { ...ticket, id: '1001' }), /200: \/id must be integer/)
  t.throws(check(418, { error: 'teapot', message: 'no' }), /GET \/api\/v1\/tickets\/\{id\} answered 418, a status the document does not give it/)
  t.throws(check(404, { message: 'no code' }), /404: \(body\)\.error must have required property 'error'/)
  t.throws(() => checkAnswer(server, 'GET', '/api/v1/nowhere', 200, res.headers, '{}'), /no such operation/)
})

t.test('aurion-mock openapi prints the served document; --yaml as YAML; the build ships it as a file', async (t) => {
  const server = await serve(t)
  const served = await (await fetch(`${server.url}/__mock/openapi.json`)).json() as Document
  const lines: string[] = []
  const io = { stdout: (line: string) => { lines.push(line) }, stderr: (line: string) => { lines.push(line) } }
  t.equal(await main(['openapi'], {}, io), 0)
  t.same(JSON.parse(lines.join('\n')), served, 'JSON on stdout')
  lines.length = 0
  t.equal(await main(['openapi', '--yaml'], {}, io), 0)
  t.same(parse(lines.join('\n')), served, 'YAML on stdout')
  lines.length = 0
  t.equal(await main(['openapi', '--bogus'], {}, io), 2, 'an unknown flag is a usage error')

  await ensureBuilt()
  t.same(JSON.parse(readFileSync(join(REPO_ROOT, 'dist/server/openapi.json'), 'utf8')), served, 'dist/server/openapi.json')
  t.same(parse(readFileSync(join(REPO_ROOT, 'dist/server/openapi.yaml'), 'utf8')), served, 'dist/server/openapi.yaml')
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { exports: Record<string, string> }
  t.equal(pkg.exports['./openapi.json'], './dist/server/openapi.json', 'importable as aurion-mock/openapi.json')
})
