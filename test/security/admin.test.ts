// The admin API takes scenario names, never paths; keeps what is posted bounded and scoped to the
// session that posted it; and refuses writes a web page could send.

import t from 'tap'
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { call, serve } from '../helpers.js'

const activate = (body: unknown, headers: Record<string, string> = {}) => ({ key: null, body, headers })
const posted = (name: string, status = 500) => `version: 1\nname: ${name}\nrules:\n  - name: all-down\n    match: { path: /api/v1/users }\n    status: ${status}\n`

t.test('activation by name reads no file, whatever the name, and answers alike for every missing one', async (t) => {
  const dir = t.testdir({ 'team.yaml': posted('team') })
  execFileSync('mkfifo', [join(dir, 'pipe')])
  const server = await serve(t)
  const names = ['/etc/passwd', '/etc/shadow', '../../etc/passwd', join(dir, 'team.yaml'), dir, join(dir, 'pipe'), join(dir, 'missing.yaml'), 'team']
  for (const name of names) {
    const res = await call(server, 'POST', '/__mock/scenarios/activate', activate({ name }))
    t.equal(res.status, 404, `${name}: not a scenario name the server knows`)
    t.equal(res.body.error, 'not_found')
    t.notMatch(res.text, /root:|EISDIR|ENOENT|EACCES|all-down/, `${name}: no file content and no hint of what exists`)
  }
  // Four FIFOs once used up Node's file-reading threads; loads must still work afterwards.
  const ok = await call(server, 'POST', '/__mock/scenarios/activate', activate({ name: 'maintenance' }))
  t.equal(ok.status, 200, 'a bundled scenario still loads by name')
  t.equal((await call(server, 'GET', '/__mock/scenarios', { key: null })).body.default, 'maintenance')
})

t.test('a scenario posted for one session changes that session only, and cannot take the server\'s names', async (t) => {
  const server = await serve(t)
  const evil = { 'x-mock-session': 'evil', 'content-type': 'application/yaml' }
  const takeover = await fetch(`${server.url}/__mock/scenarios/activate`, { method: 'POST', headers: evil, body: posted('default') })
  t.equal(takeover.status, 409, 'the embedded default cannot be replaced by a post')
  const mine = await fetch(`${server.url}/__mock/scenarios/activate`, { method: 'POST', headers: evil, body: posted('mine') })
  t.equal(mine.status, 200)
  t.equal((await call(server, 'GET', '/api/v1/users', { headers: { 'x-mock-session': 'evil' } })).status, 500, 'the posting session gets its scenario')
  t.equal((await call(server, 'GET', '/api/v1/users')).status, 200, 'requests without a session are untouched')
  t.equal((await call(server, 'GET', '/api/v1/users', { headers: { 'x-mock-session': 'other' } })).status, 200, 'other sessions are untouched')
  t.equal((await call(server, 'GET', '/api/v1/users', { headers: { 'x-mock-session': 'other', 'x-mock-scenario': 'mine' } })).status, 400, 'another session cannot even name it')
  t.equal((await call(server, 'POST', '/__mock/scenarios/activate', activate({ name: 'default' }, { 'x-mock-session': 'evil' }))).status, 200)
  t.equal((await call(server, 'GET', '/api/v1/users', { headers: { 'x-mock-session': 'evil' } })).status, 200, '{"name":"default"} restores the session')
})

t.test('posted scenarios are bounded in number: the least recently posted are forgotten', async (t) => {
  const server = await serve(t)
  for (let i = 0; i < 40; i++) {
    const res = await fetch(`${server.url}/__mock/scenarios/activate`, { method: 'POST', headers: { 'content-type': 'application/yaml' }, body: posted(`p${i}`) })
    t.equal(res.status, 200)
  }
  t.equal((await call(server, 'POST', '/__mock/scenarios/activate', activate({ name: 'p0' }))).status, 404, 'the oldest is gone')
  t.equal((await call(server, 'POST', '/__mock/scenarios/activate', activate({ name: 'p39' }))).status, 200, 'the newest is kept')
  const loaded = (await call(server, 'GET', '/__mock/scenarios', { key: null })).body.loaded as unknown[]
  t.ok(loaded.length <= 32 + 1, `${loaded.length} kept`)
})

t.test('YAML aliases cannot expand a scenario past the size limit', async (t) => {
  const server = await serve(t, { config: { maxScenarioBytes: 20_000 } })
  // 6 KB of text that names a 6 KB string five times: 36 KB once expanded.
  const lines = ['version: 1', 'name: bomb', 'rules:', '  - name: r', '    match: { path: /api/v1/users, body: { a: &a "' + 'x'.repeat(6000) + '", b: [*a, *a, *a, *a, *a] } }', '    status: 500']
  const res = await fetch(`${server.url}/__mock/scenarios/activate`, { method: 'POST', headers: { 'content-type': 'application/yaml' }, body: lines.join('\n') })
  const body = await res.json() as { error: string; details: Array<{ message: string }> }
  t.equal(res.status, 422)
  t.match(body.details[0]?.message, /too large once its aliases are expanded/)
})

t.test('admin writes a web page could send are refused', async (t) => {
  const server = await serve(t)
  const url = `${server.url}/__mock/scenarios/activate`
  const body = posted('from-page')
  const foreign = await fetch(url, { method: 'POST', headers: { origin: 'http://evil.example', 'content-type': 'application/yaml' }, body })
  t.equal(foreign.status, 403, 'a foreign Origin')
  const nullOrigin = await fetch(`${server.url}/__mock/reset`, { method: 'POST', headers: { origin: 'null' } })
  t.equal(nullOrigin.status, 403, 'Origin: null (a sandboxed frame, a file)')
  const crossSite = await fetch(`${server.url}/__mock/reset`, { method: 'POST', headers: { 'sec-fetch-site': 'cross-site' } })
  t.equal(crossSite.status, 403, 'Sec-Fetch-Site: cross-site')
  const plain = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body })
  t.equal(plain.status, 400, 'text/plain, which a page may post without asking')
  t.match(await plain.json(), { error: 'bad_request' })
  const same = await fetch(url, { method: 'POST', headers: { origin: server.url, 'content-type': 'application/yaml' }, body })
  t.equal(same.status, 200, 'the mock\'s own origin is fine')
  const reads = await fetch(`${server.url}/__mock/scenarios`, { headers: { origin: 'http://evil.example' } })
  t.equal(reads.status, 200, 'reads are not writes')
})

t.test('a scenario file given by the operator is still read from disk', async (t) => {
  const dir = t.testdir({})
  const file = join(dir, 'team.yaml')
  writeFileSync(file, posted('team', 503))
  const server = await serve(t, { scenario: file })
  t.equal((await call(server, 'GET', '/api/v1/users')).status, 503)
})
