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

async function startCli (t: Test, args: string[]): Promise<string> {
  const child = spawn(process.execPath, [BIN, '--port', '0', '--log-level', 'warn', ...args])
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
