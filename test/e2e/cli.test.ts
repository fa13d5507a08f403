// The aurion-mock command as users run it: a real process from dist/, real signals, real ports.

import t, { type Test } from 'tap'
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const BIN = fileURLToPath(new URL('../../dist/server/bin.js', import.meta.url))

interface Run { code: number | null; stdout: string; stderr: string }

async function run (args: string[], env: Record<string, string> = {}): Promise<Run> {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env } })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => { stdout += d })
  child.stderr.on('data', (d: Buffer) => { stderr += d })
  const [code] = await once(child, 'exit') as [number | null]
  return { code, stdout, stderr }
}

/** Starts the server and resolves with its URL once it prints it. */
async function start (t: Test, args: string[], env: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env } })
  let out = ''
  child.stderr!.on('data', (d: Buffer) => { out += d })
  t.teardown(() => { if (child.exitCode === null) child.kill('SIGKILL') })
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d
      const m = /listening on (http:\/\/\S+)/.exec(out)
      // The banner ends with the admin line; wait for all of it.
      if (m !== null && out.includes('admin: ')) resolve(m[1]!)
    })
    child.once('exit', () => reject(new Error(`exited early: ${out}`)))
  })
  return { child, url, output: () => out }
}

t.test('--help names every flag with its environment variable; --version prints the version', async (t) => {
  const help = await run(['--help'])
  t.equal(help.code, 0)
  for (const flag of ['--port', '--host', '--seed', '--scenario', '--log-level', '--rate-limit', '--watch']) t.match(help.stdout, flag)
  t.match(help.stdout, 'AURION_MOCK_PORT')
  const version = await run(['--version'])
  t.match(version.stdout.trim(), /^\d+\.\d+\.\d+$/)
})

t.test('bad flags: one clear line and exit 2', async (t) => {
  for (const args of [['--port', 'abc'], ['--bogus'], ['--log-level', 'loud']]) {
    const r = await run(args)
    t.equal(r.code, 2, args.join(' '))
    t.equal(r.stderr.trim().split('\n').length, 1)
    t.match(r.stderr, /^aurion-mock: /)
  }
  const env = await run([], { AURION_MOCK_PORT: '99999' })
  t.equal(env.code, 2)
  t.match(env.stderr, 'AURION_MOCK_PORT')
})

t.test('serves, prints the URL and the keys, and exits 0 on SIGTERM', async (t) => {
  const server = await start(t, ['--port', '0', '--seed', '7'])
  t.match(server.output(), /ak_live_mock_full_access_0001\s+all scopes/)
  const res = await fetch(`${server.url}/api/v1/tickets?limit=1`, { headers: { 'x-api-key': 'ak_live_mock_full_access_0001' } })
  t.equal(res.status, 200)
  server.child.kill('SIGTERM')
  const [code] = await once(server.child, 'exit')
  t.equal(code, 0)
})

t.test('environment variables configure the server; flags win over them', async (t) => {
  const server = await start(t, ['--port', '0'], { AURION_MOCK_PORT: '1', AURION_MOCK_KEYS: 'ak_live_env_key_1=tickets:read', AURION_MOCK_SCENARIO: 'maintenance' })
  t.match(server.output(), 'scenario: maintenance')
  const res = await fetch(`${server.url}/api/v1/tickets`, { headers: { 'x-api-key': 'ak_live_env_key_1' } })
  t.equal(res.status, 503)
  server.child.kill('SIGINT')
  t.equal((await once(server.child, 'exit'))[0], 0)
})

t.test('a port in use: one clear line and a non-zero exit', async (t) => {
  const blocker = createServer()
  blocker.listen(0, '127.0.0.1')
  await once(blocker, 'listening')
  t.teardown(() => blocker.close())
  const port = (blocker.address() as { port: number }).port
  const r = await run(['--port', String(port)])
  t.equal(r.code, 1)
  t.equal(r.stderr.trim(), `aurion-mock: port ${port} is already in use on 127.0.0.1 (choose another with --port)`)
})

t.test('validate: exit 0 for good files, exit 2 with file:line:col for bad ones; the server refuses them', async (t) => {
  const dir = t.testdir({
    'good.yaml': 'version: 1\nname: good\nrules:\n  - name: a\n    status: 500\n',
    'bad.yaml': 'version: 1\nname: bad\nrules:\n  - name: a\n    sequence:\n      - { status: 5000 }\n'
  })
  const good = await run(['validate', join(dir, 'good.yaml')])
  t.equal(good.code, 0)
  t.match(good.stdout, 'ok')
  const bad = await run(['validate', join(dir, 'good.yaml'), join(dir, 'bad.yaml')])
  t.equal(bad.code, 2)
  t.match(bad.stderr, `${join(dir, 'bad.yaml')}:6:`)
  t.match(bad.stderr, '(at /rules/0/sequence/0/status)')
  const refused = await run(['--port', '0', '--scenario', join(dir, 'bad.yaml')])
  t.equal(refused.code, 2)
  t.match(refused.stderr, `${join(dir, 'bad.yaml')}:6:`)
  t.notMatch(refused.stdout, 'listening')
})

t.test('--watch reloads an edited file; a broken edit keeps the last good version', async (t) => {
  const dir = t.testdir({ 'live.yaml': 'version: 1\nname: live\nrules:\n  - name: a\n    match: { path: /api/v1/users }\n    status: 500\n' })
  const file = join(dir, 'live.yaml')
  const server = await start(t, ['--port', '0', '--watch', '--scenario', file])
  const status = async () => (await fetch(`${server.url}/api/v1/users`, { headers: { 'x-api-key': 'ak_live_mock_full_access_0001' } })).status
  t.equal(await status(), 500)
  writeFileSync(file, 'version: 1\nname: live\nrules:\n  - name: a\n    match: { path: /api/v1/users }\n    status: 503\n')
  await waitFor(server.output, 'reloaded')
  t.equal(await status(), 503)
  writeFileSync(file, 'version: 1\nname: live\nrules:\n  - name: a\n    match: { path: /api/v1/users }\n    stauts: 502\n')
  await waitFor(server.output, 'live.yaml:6:5: ')
  t.equal(await status(), 503, 'the last good version keeps serving')
  server.child.kill('SIGTERM')
  await once(server.child, 'exit')
})

async function waitFor (output: () => string, text: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (output().includes(text)) return
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  throw new Error(`never printed "${text}": ${output()}`)
}

t.test('SIGTERM lets an in-flight request finish, cuts a slow one, and exits 0', async (t) => {
  const dir = t.testdir({
    'slow.yaml': 'version: 1\nname: slow\nrules:\n  - name: slow-users\n    match: { path: /api/v1/users }\n    latency: 300ms\n  - name: drip\n    match: { path: /api/v1/calls }\n    pass: true\n    fault: { type: drip, chunk: 1, every: 1s }\n'
  })
  const server = await start(t, ['--port', '0', '--scenario', join(dir, 'slow.yaml')])
  const headers = { 'x-api-key': 'ak_live_mock_full_access_0001' }
  const inFlight = fetch(`${server.url}/api/v1/users`, { headers }).then((r) => r.status)
  const endless = fetch(`${server.url}/api/v1/calls`, { headers }).then((r) => r.text()).then(() => 'complete', () => 'cut')
  await new Promise((resolve) => setTimeout(resolve, 100))
  const started = Date.now()
  server.child.kill('SIGTERM')
  const [code] = await once(server.child, 'exit')
  t.equal(code, 0)
  t.equal(await inFlight, 200, 'the request in flight was answered')
  t.equal(await endless, 'cut', 'the dripping one was cut at the drain deadline')
  t.ok(Date.now() - started < 3000, `exited in ${Date.now() - started} ms`)
})

t.test('--watch survives deletion, rename and half-written files', async (t) => {
  const good = (status: number) => `version: 1\nname: live\nrules:\n  - name: a\n    match: { path: /api/v1/users }\n    status: ${status}\n`
  const dir = t.testdir({ 'live.yaml': good(500) })
  const file = join(dir, 'live.yaml')
  const server = await start(t, ['--port', '0', '--watch', '--scenario', file])
  const status = async () => (await fetch(`${server.url}/api/v1/users`, { headers: { 'x-api-key': 'ak_live_mock_full_access_0001' } })).status
  const { renameSync, unlinkSync } = await import('node:fs')
  unlinkSync(file)
  await waitFor(server.output, 'not reloaded')
  t.equal(await status(), 500, 'deleted: the last good version keeps serving')
  writeFileSync(join(dir, 'next.yaml'), good(503))
  renameSync(join(dir, 'next.yaml'), file)
  await waitFor(server.output, 'reloaded ')
  t.equal(await status(), 503, 'a file renamed into place is loaded')
  writeFileSync(file, good(502).slice(0, 40))
  await new Promise((resolve) => setTimeout(resolve, 50))
  writeFileSync(file, good(502))
  for (let i = 0; i < 100 && (await status()) !== 502; i++) await new Promise((resolve) => setTimeout(resolve, 20))
  t.equal(await status(), 502, 'a file written in two steps ends up loaded')
  server.child.kill('SIGTERM')
  await once(server.child, 'exit')
})
