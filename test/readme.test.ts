// The README's snippets, run as written (the port swapped for a free one) against the real CLI.

import t, { type Test } from 'tap'
import { execFile, spawn } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const BIN = join(ROOT, 'dist/server/bin.js')
const README = readFileSync(join(ROOT, 'README.md'), 'utf8')
const run = promisify(execFile)

/** The fenced block that follows `<!-- readme-snippet: name -->`. */
export function snippet (name: string): string {
  const m = new RegExp(`<!-- readme-snippet: ${name} -->\\s*\`\`\`\\w*\\n([\\s\\S]*?)\`\`\``).exec(README)
  if (m === null) throw new Error(`README has no snippet "${name}"`)
  return m[1]!
}

async function startCli (t: Test, args: string[], env: Record<string, string> = {}): Promise<string> {
  const child = spawn(process.execPath, [BIN, '--port', '0', '--log-level', 'warn', ...args], { env: { ...process.env, ...env } })
  t.teardown(() => { child.kill('SIGTERM') })
  let out = ''
  child.stderr.on('data', (d: Buffer) => { out += d })
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d
      if (out.includes('admin: ')) resolve()
    })
    child.once('exit', () => reject(new Error(`the server exited: ${out}`)))
  })
  return /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out)![1]!
}

/** A port nothing listens on right now: the recipe hard-codes its port, so it cannot take 0. */
async function freePort (): Promise<number> {
  const { createServer } = await import('node:net')
  return await new Promise((resolve, reject) => {
    const server = createServer().once('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

async function bash (script: string, port: string): Promise<string> {
  const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', script.replaceAll('127.0.0.1:4010', `127.0.0.1:${port}`)])
  return stdout
}

t.test('the curl walkthrough: create, get, 422, idempotent replay', async (t) => {
  const port = await startCli(t, [])
  const out = await bash(snippet('walkthrough'), port)
  const lines = out.split('\n')
  const created = JSON.parse(lines[0]!)
  t.match(created, { id: 1061, subject: 'VPN not connecting', status: 'open', priority: 'high' })
  t.same(JSON.parse(lines[1]!), created, 'get returns the created ticket')
  t.same(JSON.parse(lines[2]!).details.map((d: { field: string }) => d.field).sort(), ['description', 'priority', 'subject'])
  t.equal(out.match(/HTTP\/1.1 201/g)?.length, 2)
  t.equal(out.match(/idempotent-replayed: true/gi)?.length, 1)
  t.equal(out.match(/"id":1062/g)?.length, 2, 'one ticket, answered twice')
})

t.test('the scenario example validates and serves', async (t) => {
  const dir = t.testdir({})
  const file = join(dir, 'ticket-create-storm.yaml')
  writeFileSync(file, snippet('scenario-example'))
  const { stdout } = await run(process.execPath, [BIN, 'validate', file])
  t.match(stdout, 'ok (ticket-create-storm, 3 rules)')
  const port = await startCli(t, ['--scenario', file])
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/tickets`, { method: 'POST', headers: { 'x-api-key': 'ak_live_mock_full_access_0001', 'content-type': 'application/json' }, body: '{"subject":"s","description":"d"}' })
  t.equal(res.status, 429)
})

t.test('the admin snippet activates a posted scenario and reads the journal', async (t) => {
  const port = await startCli(t, [])
  const out = await bash(snippet('admin'), port)
  const [activated, users, journal] = out.trim().split('\n').map((l) => JSON.parse(l))
  t.same(activated, { active: 'users-down', session: null })
  t.same(users, { error: 'service_unavailable', message: 'Service temporarily unavailable', retry_after: 5 })
  t.match(journal.entries[0], { path: '/api/v1/users', status: 503, rule: 'users-503', retryAfter: 5 })
})

t.test('the session-in-the-URL snippet lists tickets in its session, journaled without the prefix', async (t) => {
  const port = await startCli(t, [])
  const [list, journal] = (await bash(snippet('session-url'), port)).trim().split('\n').map((l) => JSON.parse(l))
  t.match(list, { data: [{ id: Number, subject: String }], limit: 1 })
  t.match(journal, { session: 'test-42', entries: [{ method: 'GET', path: '/api/v1/tickets', status: 200 }] })
  t.equal(journal.entries.length, 1)
})

t.test('the expect: example loads with its policy', async (t) => {
  const { parseScenario } = await import('../server/index.js')
  const result = parseScenario(snippet('expect'), 'README')
  t.ok(result.ok, 'valid')
  if (result.ok) t.match(result.scenario.expect, { maxAttempts: 3, toleranceMs: 10, retryableStatuses: [429, 503], minBackoffMs: 500, backoffFactor: 2, maxBackoffMs: 4000, noDuplicates: true })
})

t.test('the webhooks snippet subscribes a receiver, delivers a ticket and an on-demand event, and reads the journal', async (t) => {
  const { createServer } = await import('node:http')
  const { createHmac } = await import('node:crypto')
  const got: Array<{ raw: string; signature: string | undefined }> = []
  const receiver = createServer((req, res) => {
    let raw = ''
    req.on('data', (c: Buffer) => { raw += c.toString() })
    req.on('end', () => { got.push({ raw, signature: req.headers['x-aurion-signature'] as string | undefined }); res.writeHead(204).end() })
  })
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
  t.teardown(() => { receiver.close() })
  const receiverPort = (receiver.address() as { port: number }).port
  const port = await startCli(t, [])
  const out = await bash(snippet('webhooks').replaceAll('127.0.0.1:8080', `127.0.0.1:${receiverPort}`), port)
  const [hook, emitted, journal] = out.trim().split('\n').map((l) => JSON.parse(l))
  t.match(hook, { id: /^wh_/, secret: 'whsec_local', active: true })
  t.match(emitted, { event: { type: 'call.completed', data: { id: 'call_abc123' } }, webhooks: [hook.id] })
  t.same(journal.deliveries.map((d: { eventType: string; status: number }) => `${d.eventType} ${d.status}`), ['ticket.created 204', 'call.completed 204'])
  t.same(got.map((g) => JSON.parse(g.raw).type), ['ticket.created', 'call.completed'])
  t.ok(got.every((g) => g.signature === `sha256=${createHmac('sha256', 'whsec_local').update(g.raw).digest('hex')}`), 'signed with the secret')
})

t.test('the deliveries: example loads with its rules', async (t) => {
  const { parseScenario } = await import('../server/index.js')
  const result = parseScenario(snippet('deliveries'), 'README')
  t.ok(result.ok, 'valid')
  if (result.ok) t.same(result.scenario.deliveries?.map((r) => [r.name, r.steps.map((s) => s.fault?.type ?? 'pass')]), [['forged-first', ['bad-signature', 'changed-body', 'pass']], ['redelivered', ['duplicate']], ['out-of-order', ['reorder']]])
})

t.test('the CI recipe fails the build exactly when the client misbehaves', async (t) => {
  // A client project as the recipe assumes: its own tests, a scenario file, aurion-mock installed.
  const client = (waitMs: number) => `
const base = process.env.AURION_BASE_URL
const headers = { 'x-api-key': 'ak_live_mock_full_access_0001', 'content-type': 'application/json', 'idempotency-key': 'idem_ci_1' }
for (let attempt = 0; attempt < 4; attempt++) {
  const res = await fetch(base + '/api/v1/tickets', { method: 'POST', headers, body: JSON.stringify({ subject: 'CI', description: 'recipe' }) })
  if (res.status === 201) break
  await new Promise((resolve) => setTimeout(resolve, ${waitMs} * 2 ** attempt))
}
`
  // Two failures in a row, so the impatient client is caught on two gaps: one scheduling stall on a
  // loaded CI machine cannot make it look patient.
  const scenario = 'version: 1\nname: create-storm\nexpect: { minBackoffMs: 200 }\nrules:\n  - name: twice\n    match: { method: POST, path: /api/v1/tickets }\n    sequence: [{ times: 2, status: 503 }, pass]\n'
  for (const [waitMs, expected] of [[300, 0], [0, 1]] as const) {
    const dir = t.testdir({
      'package.json': JSON.stringify({ name: 'client', type: 'module', scripts: { test: 'node client.mjs' } }),
      'client.mjs': client(waitMs),
      test: { scenarios: { 'create-storm.yaml': scenario } },
      node_modules: { '.bin': {} }
    })
    const { symlinkSync } = await import('node:fs')
    symlinkSync(BIN, join(dir, 'node_modules/.bin/aurion-mock'))
    const port = String(await freePort())
    const script = snippet('ci-verify').replaceAll('4010', port)
    let output = ''
    const status = await new Promise<number | null>((resolve) => {
      const child = spawn('bash', ['-c', script], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env, PATH: `${join(dir, 'node_modules/.bin')}:${process.env.PATH ?? ''}` } })
      // A recipe that hangs (a server that never came up) must fail, not stall the suite.
      const limit = setTimeout(() => { try { process.kill(-child.pid!, 'SIGKILL') } catch {} }, 60_000)
      child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString() })
      child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString() })
      let code: number | null = null
      child.on('exit', (exitCode) => {
        code = exitCode
        clearTimeout(limit)
        // Whatever the recipe left behind goes with its process group (and lets its pipes close).
        try { process.kill(-child.pid!, 'SIGKILL') } catch {}
      })
      child.on('close', () => resolve(code))
    })
    t.equal(status, expected, waitMs === 0 ? 'a client without backoff fails the build' : 'a patient client passes', { output })
    t.match(readFileSync(join(dir, 'retry-report.xml'), 'utf8'), '<testsuites')
  }
})

t.test('every cookbook scenario loads and does what its paragraph says', async (t) => {
  const { parseScenario, startMockServer, ManualClock } = await import('../server/index.js')
  const key = { 'x-api-key': 'ak_live_mock_full_access_0001', 'content-type': 'application/json' }
  const ticket = JSON.stringify({ subject: 's', description: 'd' })
  // name → [request, expected status of the first matching request]
  const first: Record<string, [string, string, Record<string, string>, string | undefined, number]> = {
    sequence: ['GET', '/api/v1/tickets/1001', key, undefined, 500],
    'burst-count': ['GET', '/api/v1/users', key, undefined, 200],
    'burst-window': ['GET', '/api/v1/users', key, undefined, 200],
    flap: ['GET', '/api/v1/tickets/1001', key, undefined, 200],
    chance: ['GET', '/api/v1/users', key, undefined, 502], // seed 7's first draw is under 0.2
    409: ['POST', '/api/v1/tickets', { ...key, 'idempotency-key': 'idem_conflict' }, ticket, 409],
    lost: ['POST', '/api/v1/tickets', key, ticket, 503],
    422: ['POST', '/api/v1/kb/articles', key, JSON.stringify({ title: 't', content_html: 'c' }), 422],
    custom: ['GET', '/api/v1/users', key, undefined, 502],
    transport: ['GET', '/api/v1/calls', key, undefined, 200],
    match: ['POST', '/api/v1/tickets?notify=true', { ...key, 'x-api-key': 'ak_live_mock_tickets_only_0003', 'x-client': 'ci' }, JSON.stringify({ subject: 's', description: 'd', priority: 'urgent', category: 'Network' }), 503]
  }
  for (const [name, [method, path, headers, body, status]] of Object.entries(first)) {
    const result = parseScenario(snippet(`cookbook-${name}`), `cookbook-${name}`)
    t.ok(result.ok, `${name} loads`)
    if (!result.ok) continue
    const clock = new ManualClock()
    const { parse } = await import('yaml')
    const server = await startMockServer({ scenario: parse(snippet(`cookbook-${name}`)) as Record<string, unknown>, clock })
    try {
      const pending = fetch(`${server.url}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) })
      // Latency steps wait on the manual clock: move it along until the answer comes.
      let done = false
      void pending.finally(() => { done = true })
      while (!done) {
        await new Promise((resolve) => setTimeout(resolve, 2))
        const due = clock.nextDue()
        if (due !== undefined) clock.advance(due)
      }
      t.equal((await pending).status, status, `${name}: first matching request`)
    } finally {
      await server.close()
    }
  }
})

t.test('several replicas: the compose file is two replicas on one Redis, and the curl snippet runs on two', async (t) => {
  const { parse } = await import('yaml')
  const services = (parse(snippet('replicas-compose'), { merge: true }) as { services: Record<string, { environment?: Record<string, string>; ports?: string[] }> }).services
  t.same(Object.keys(services), ['redis', 'aurion-mock-1', 'aurion-mock-2'])
  t.equal(services['aurion-mock-2']?.environment?.AURION_MOCK_STORE, 'redis://redis:6379', 'the second replica shares the first one\'s settings')
  t.not(services['aurion-mock-1']?.ports?.[0], services['aurion-mock-2']?.ports?.[0])

  const { startRedis } = await import('./redis-server.js')
  const redis = await startRedis(t)
  const [one, two] = [await startCli(t, ['--store', redis.url]), await startCli(t, ['--store', redis.url])]
  const script = snippet('replicas').replaceAll('127.0.0.1:6379', `127.0.0.1:${redis.port}`).replaceAll('127.0.0.1:4010', `127.0.0.1:${one}`).replaceAll('127.0.0.1:4011', `127.0.0.1:${two}`)
  const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', script])
  const [created, read, replayed] = stdout.trim().split('\n')
  t.match(JSON.parse(created!), { id: 1061, subject: 'Shared' })
  t.same(JSON.parse(read!), JSON.parse(created!), 'read through the other replica')
  t.match(replayed, /idempotent-replayed: true/i, 'the retry on the other replica is a replay')
})

t.test('the OpenAPI snippet prints the document without a server and generates types from it', async (t) => {
  const dir = t.testdir({ 'package.json': JSON.stringify({ name: 'client', type: 'module' }), node_modules: { '.bin': {} } })
  const { symlinkSync } = await import('node:fs')
  symlinkSync(BIN, join(dir, 'node_modules/.bin/aurion-mock'))
  symlinkSync(join(ROOT, 'node_modules/openapi-typescript/bin/cli.js'), join(dir, 'node_modules/.bin/openapi-typescript'))
  await run('bash', ['-euo', 'pipefail', '-c', snippet('openapi')], { cwd: dir, env: { ...process.env, PATH: `${join(dir, 'node_modules/.bin')}:${process.env.PATH ?? ''}` } })
  const doc = JSON.parse(readFileSync(join(dir, 'aurion-openapi.json'), 'utf8')) as { openapi: string; paths: Record<string, unknown> }
  t.equal(doc.openapi, '3.1.0')
  t.ok(doc.paths['/api/v1/tickets'], 'the document has the tickets')
  t.match(readFileSync(join(dir, 'aurion.d.ts'), 'utf8'), '"/api/v1/tickets/{id}": {', 'openapi-typescript made types of it')
})

t.test('the log-format snippet keeps JSON log lines; text puts the banner first', async (t) => {
  const args = snippet('log-format').trim().split(/\s+/).slice(2)
  t.same(args, ['--log-format', 'json'])
  /** The output over a pipe up to the end of the banner, and with `until`, until that text too. */
  const firstLines = async (flags: string[], until?: string): Promise<string[]> => {
    const child = spawn(process.execPath, [BIN, ...flags, '--port', '0'])
    t.teardown(() => { child.kill('SIGTERM') })
    let out = ''
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => { out += d; if (out.includes('admin: ') && (until === undefined || out.includes(until))) resolve() })
      child.once('exit', () => reject(new Error(`the server exited: ${out}`)))
    })
    return out.split('\n')
  }
  // pino writes asynchronously, so its line and the banner may come in either order: wait for both.
  const json = await firstLines(args, '"msg":"Server listening at')
  const logged = json.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as unknown)
  t.match(logged, [{ level: 30, msg: /^Server listening at http:\/\/127\.0\.0\.1:\d+$/ }], 'a JSON line')
  t.ok(json.some((line) => /^aurion-mock \S+ listening on http/.test(line)), 'and the banner')
  const text = await firstLines(['--log-format', 'text'])
  t.match(text[0], /^aurion-mock \S+ listening on http/, 'the banner first, no log line in front of it')
  t.notOk(text.some((line) => line.startsWith('{')), 'no JSON line')
})

t.test('the compose receiver: the mock started with its environment takes the receiver\'s URL and refuses other hosts', async (t) => {
  const { parse } = await import('yaml')
  const services = (parse(snippet('compose-receiver')) as { services: Record<string, { environment?: Record<string, string> }> }).services
  const env = services['aurion-mock']?.environment ?? {}
  t.equal(env.AURION_MOCK_WEBHOOK_HOSTS, 'receiver', 'the receiver\'s service name is allowed')
  t.ok(services.receiver, 'the receiver is a service of the composition')
  const port = await startCli(t, [], env)
  const register = async (url: string) => {
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/webhooks`, {
      method: 'POST',
      headers: { 'x-api-key': 'ak_live_mock_full_access_0001', 'content-type': 'application/json' },
      body: JSON.stringify({ url, events: ['ticket.created'] })
    })
    return { status: res.status, body: await res.json() as { details?: Array<{ field: string; message: string }> } }
  }
  t.equal((await register('http://receiver:8080/hooks/aurion')).status, 201, 'the URL the README gives is taken')
  const refused = await register('http://elsewhere:8080/hooks/aurion')
  t.equal(refused.status, 422, 'another host is refused')
  t.match(refused.body.details, [{ field: 'url', message: /--webhook-hosts elsewhere or AURION_MOCK_WEBHOOK_HOSTS/ }], 'naming the flag')
})
