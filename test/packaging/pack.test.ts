// The npm package as a user gets it: `npm pack`, installed into an empty project outside this
// repository (so nothing resolves from the repo's node_modules by accident), then the `npx
// aurion-mock` command, `import { startMockServer } from 'aurion-mock'` and its types.

import t from 'tap'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ensureBuilt, REPO_ROOT, run, userEnv } from '../library/built.js'

const TSC = join(REPO_ROOT, 'node_modules/.bin/tsc')
const KEY = 'ak_live_mock_full_access_0001'
const VERSION = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version

const GOOD_SCENARIO = `version: 1
name: create-storm
rules:
  - name: create-429
    match: { method: POST, path: /api/v1/tickets }
    sequence:
      - { times: 2, status: 429, retryAfter: 1 }
      - pass
`
const BAD_SCENARIO = `version: 1
name: broken
rules:
  - name: teapot
    match: { method: POST, path: /api/v1/tickets }
    status: 999
`
const ESM_CHECK = `import { startMockServer } from 'aurion-mock'

const mock = await startMockServer({ scenario: 'maintenance' })
const res = await fetch(mock.url + '/api/v1/tickets', { headers: { 'x-api-key': '${KEY}' } })
console.log(JSON.stringify({ url: mock.url, status: res.status, body: await res.json() }))
await mock.close()
`
const RUNNERS_CHECK = `import { startMockServer } from 'aurion-mock'
import * as nodeTest from 'aurion-mock/node-test'
import * as vitest from 'aurion-mock/vitest'
import * as tap from 'aurion-mock/tap'

const mock = await startMockServer()
const session = await nodeTest.mockSession({ name: 'packed', after: () => {} }, mock)
const res = await fetch(session.baseUrl + '/api/v1/tickets', { headers: { 'x-api-key': '${KEY}' } })
console.log(JSON.stringify({ id: session.id, status: res.status, helpers: [typeof nodeTest.mockSession, typeof vitest.mockSession, typeof tap.mockSessions] }))
await mock.close()
`
const TYPES_CHECK = `import { startMockServer, ManualClock, RetryPolicyError, type MockServer, type MockSession, type StartOptions } from 'aurion-mock'
import { mockSession } from 'aurion-mock/node-test'
import { mockSession as vitestSession } from 'aurion-mock/vitest'
import { mockSessions } from 'aurion-mock/tap'
import { test } from 'node:test'

const options: StartOptions = { scenario: ['maintenance', { version: 1, name: 'inline', rules: [] }], seed: 7, port: 0, logging: false }
const mock: MockServer = await startMockServer({ ...options, clock: new ManualClock(0) })
const port: number = mock.port
await mock.reset('some-session')
await mock.close()
// @ts-expect-error: port is a number
await startMockServer({ port: '4010' })
const session: MockSession = mock.session('typed')
const baseUrl: string = session.baseUrl
test('a node:test context is what mockSession takes', async (t) => { await mockSession(t, mock, { assertPolicy: true }) })
const failure: RetryPolicyError | undefined = await session.assertPolicy().then(() => undefined, (err: RetryPolicyError) => err)
void vitestSession
void mockSessions
export { port, baseUrl, failure }
`

let project = ''
let tarball = ''

t.before(async () => {
  await ensureBuilt()
  project = mkdtempSync(join(tmpdir(), 'aurion-mock-consumer-'))
  const packed = await run('npm', ['pack', '--json', '--pack-destination', project], { cwd: REPO_ROOT, env: userEnv() })
  if (packed.code !== 0) throw new Error(`npm pack failed:\n${packed.stderr}`)
  const [info] = JSON.parse(packed.stdout) as [{ filename: string }]
  tarball = join(project, info.filename)
  const env = userEnv()
  const init = await run('npm', ['init', '-y'], { cwd: project, env })
  if (init.code !== 0) throw new Error(`npm init failed:\n${init.stderr}`)
  const install = await run('npm', ['install', '--no-audit', '--no-fund', tarball], { cwd: project, env, timeoutMs: 180_000 })
  if (install.code !== 0) throw new Error(`npm install ${tarball} failed:\n${install.stdout}${install.stderr}`)
  writeFileSync(join(project, 'good.yaml'), GOOD_SCENARIO)
  writeFileSync(join(project, 'bad.yaml'), BAD_SCENARIO)
  writeFileSync(join(project, 'check.mjs'), ESM_CHECK)
  writeFileSync(join(project, 'check.mts'), TYPES_CHECK)
  writeFileSync(join(project, 'runners.mjs'), RUNNERS_CHECK)
})
t.teardown(() => { if (project !== '') rmSync(project, { recursive: true, force: true }) })

t.test('the tarball holds the build, the OpenAPI document, the bundled scenarios and the README, and nothing else', async (t) => {
  const listing = await run('tar', ['-tzf', tarball])
  t.equal(listing.code, 0)
  const files = listing.stdout.split('\n').filter((f) => f !== '').map((f) => f.replace(/^package\//, ''))
  for (const needed of ['package.json', 'README.md', 'dist/server/bin.js', 'dist/server/index.js', 'dist/server/index.d.ts', 'dist/server/seeds/1.json', 'dist/server/scenario-validators.cjs', 'dist/server/openapi.json', 'dist/server/openapi.yaml', 'scenarios/rate-limit-burst.yaml', 'scenarios/scenario.schema.json']) {
    t.ok(files.includes(needed), `has ${needed}`)
  }
  const unwanted = files.filter((f) =>
    !/^(package\.json|README\.md|LICENSE|dist\/server\/.+\.(js|cjs|d\.ts|js\.map|d\.ts\.map)|dist\/server\/seeds\/\d+\.json|dist\/server\/openapi\.(json|yaml)|scenarios\/[^/]+\.(yaml|json))$/.test(f))
  t.same(unwanted, [], 'no sources, tests, examples, node_modules or tooling')
  t.notOk(files.some((f) => /^(test|server|examples|node_modules|scripts|\.ci)\//.test(f)), 'no test/, server/, examples/, node_modules/')
})

t.test('npx aurion-mock --help and --version work from the installed package', async (t) => {
  const [help, version] = await Promise.all([
    run('npx', ['aurion-mock', '--help'], { cwd: project, env: userEnv() }),
    run('npx', ['aurion-mock', '--version'], { cwd: project, env: userEnv() })
  ])
  t.equal(help.code, 0, '--help exits 0', { stderr: help.stderr })
  t.match(help.stdout, /^Usage: aurion-mock/m)
  t.match(help.stdout, 'AURION_MOCK_PORT')
  t.match(help.stdout, /Bundled scenarios: .*rate-limit-burst/)
  t.equal(version.code, 0)
  t.equal(version.stdout.trim(), VERSION)
})

t.test('npx aurion-mock validate: exit 0 on a good file, 2 with the line on a bad one', async (t) => {
  const [good, bad] = await Promise.all([
    run('npx', ['aurion-mock', 'validate', 'good.yaml'], { cwd: project, env: userEnv() }),
    run('npx', ['aurion-mock', 'validate', 'bad.yaml'], { cwd: project, env: userEnv() })
  ])
  t.equal(good.code, 0, 'good file', { stderr: good.stderr })
  t.match(good.stdout, /good\.yaml: ok \(create-storm, 1 rule\)/)
  t.equal(bad.code, 2, 'bad file')
  t.match(bad.stderr, /bad\.yaml:6:\d+/, 'names the line of the bad status')
})

t.test('npx aurion-mock --port 0 serves real HTTP and stops on SIGTERM', async (t) => {
  // detached: its own process group. npm runs the bin through `sh -c`, which does not pass a
  // SIGTERM on, so the group is signalled, as a terminal or a CI runner does.
  const child = spawn('npx', ['aurion-mock', '--port', '0', '--scenario', 'good.yaml', '--scenario', 'maintenance'], {
    cwd: project, env: userEnv(), detached: true, stdio: ['ignore', 'pipe', 'pipe']
  })
  let output = ''
  child.stdout.on('data', (d: Buffer) => { output += d })
  child.stderr.on('data', (d: Buffer) => { output += d })
  // 'close': every process holding the output pipes (npx, its shell, the server) has ended.
  const closed = once(child, 'close')
  t.teardown(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL')
    } catch {
      // The group is gone already.
    }
  })
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "listening on" line in 20 s:\n${output}`)), 20_000)
    child.stdout.on('data', () => {
      const m = /listening on (http:\/\/\S+)/.exec(output)
      if (m !== null) { clearTimeout(timer); resolve(m[1]!) }
    })
    child.once('exit', () => { clearTimeout(timer); reject(new Error(`exited early:\n${output}`)) })
  })
  t.match(url, /^http:\/\/127\.0\.0\.1:\d+$/)

  const health = await fetch(`${url}/__mock/health`)
  t.same(await health.json(), { status: 'ok' })
  const create = () => fetch(`${url}/api/v1/tickets`, {
    method: 'POST',
    headers: { 'x-api-key': KEY, 'content-type': 'application/json', 'x-mock-session': 'npx' },
    body: JSON.stringify({ subject: 'From npx', description: 'Installed from the tarball' })
  })
  const throttled = await create()
  t.equal(throttled.status, 429, 'the scenario file is the default')
  t.equal(throttled.headers.get('retry-after'), '1')
  const bundled = await fetch(`${url}/api/v1/tickets`, { headers: { 'x-api-key': KEY, 'x-mock-scenario': 'maintenance' } })
  t.equal(bundled.status, 503, 'the bundled scenarios are in the package')

  const stopping = Date.now()
  process.kill(-child.pid!, 'SIGTERM')
  await closed
  t.ok(Date.now() - stopping < 5000, 'stopped promptly')
  t.match(output, 'SIGTERM, closing')
  await t.rejects(fetch(`${url}/__mock/health`), 'the port is closed')
})

t.test('import { startMockServer } from \'aurion-mock\' works from an .mjs file', async (t) => {
  const result = await run(process.execPath, ['check.mjs'], { cwd: project, env: userEnv() })
  t.equal(result.code, 0, 'node check.mjs', { stderr: result.stderr })
  const out = JSON.parse(result.stdout) as { url: string; status: number; body: unknown }
  t.match(out, { url: /^http:\/\/127\.0\.0\.1:\d+$/, status: 503, body: { error: 'service_unavailable' } })
})

t.test('the runner helpers import from aurion-mock/node-test, /vitest and /tap', async (t) => {
  const result = await run(process.execPath, ['runners.mjs'], { cwd: project, env: userEnv() })
  t.equal(result.code, 0, 'node runners.mjs', { stderr: result.stderr })
  t.match(JSON.parse(result.stdout), { id: /^packed@\d+\.0\.1$/, status: 200, helpers: ['function', 'function', 'function'] })
})

t.test('the package\'s types resolve under NodeNext and check strictly', async (t) => {
  const result = await run(TSC, [
    '--module', 'NodeNext', '--moduleResolution', 'NodeNext', '--target', 'ES2022', '--noEmit', '--strict',
    // The consumer's own @types/node (the repository's copy): fastify's types need it, as they would in any TS project.
    '--types', 'node', '--typeRoots', join(REPO_ROOT, 'node_modules/@types'),
    'check.mts'
  ], { cwd: project, env: userEnv() })
  t.equal(result.code, 0, 'tsc found no errors', { output: result.stdout + result.stderr })
})
