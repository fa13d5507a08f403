// The Docker image as client teams use it: built from the Dockerfile with buildah, run with podman
// and with the docker CLI (through podman's API socket), on 127.0.0.1, with real HTTP requests.

import t, { type Test } from 'tap'
import { spawn } from 'node:child_process'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import {
  CONTAINER_ENV, ROOT, baseNodeBinary, buildImage, ensureNodeBase, findMissingTools, imageSize, mustRun, nodeVersionOf,
  runCommand, sleep, startPodmanService, waitForFreePort, waitForHttp
} from './containers.js'

/** The Dockerfile's default base: Node 24 LTS, which CI runs every suite on (.ci/node-versions). */
const DEFAULT_BASE = 'node:24-bookworm-slim'
const DEFAULT_BASE_MAJOR = /^node:(\d+)-/.exec(DEFAULT_BASE)![1]!

/** The README's `docker run` lines, exactly as written there (the README shows the same strings). */
const README_DOCKER_RUN = {
  default: 'docker run --rm -p 4010:4010 aurion-mock',
  mountedScenario: 'docker run --rm -p 4010:4010 -v "$PWD/scenarios:/scenarios:ro" aurion-mock --scenario /scenarios/my-team.yaml',
  envConfig: "docker run --rm -p 4010:4010 -e AURION_MOCK_SCENARIO=maintenance -e AURION_MOCK_SEED=42 -e 'AURION_MOCK_KEYS=ak_ci_pipeline_0001=*' aurion-mock",
  validate: 'docker run --rm -v "$PWD/scenarios:/scenarios:ro" aurion-mock validate /scenarios/my-team.yaml'
} as const

/** `docker build -t aurion-mock .` names the image so; podman stores it under localhost/. */
const IMAGE = 'localhost/aurion-mock:latest'
const FULL_KEY = 'ak_live_mock_full_access_0001'
/** Names of the containers this test starts itself (the README's lines start unnamed ones). */
const NAMED_PREFIX = 'aurion-mock-test-'
const README_PORT = 4010
const TOOLS = ['buildah', 'podman', 'docker']
const BUNDLED_SCENARIOS = readdirSync(join(ROOT, 'scenarios')).filter((f) => f.endsWith('.yaml')).length
/** A client team's own scenario: ticket listing answers 503, everything else is normal. */
const TEAM_SCENARIO = `version: 1
name: my-team
description: Ticket listing is down, to test our retries.
rules:
  - name: ticket-list-down
    match: { method: GET, path: /api/v1/tickets }
    status: 503
    message: Ticket listing is down (my-team scenario)
`
const BROKEN_SCENARIO = 'version: 1\nname: broken\nrules:\n  - name: nope\n    match: { path: /api/v1/** }\n    statuss: 503\n'

t.setTimeout(300_000)

const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8')

/** The Dockerfile's instructions, continuation lines joined, comments dropped. */
function instructions (text: string): Array<{ keyword: string; args: string }> {
  return text.replace(/\\\r?\n/g, ' ').split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const m = /^(\S+)\s*(.*)$/.exec(l)!
      return { keyword: m[1]!.toUpperCase(), args: m[2]!.trim() }
    })
}

function isExecForm (args: string): boolean {
  try {
    const parsed: unknown = JSON.parse(args)
    return Array.isArray(parsed) && parsed.every((a) => typeof a === 'string')
  } catch {
    return false
  }
}

t.test('the Dockerfile is multi-stage on ARG BASE, and its final stage runs as non-root on 0.0.0.0 with node as PID 1', async (t) => {
  const all = instructions(dockerfile)
  t.match(all[0], { keyword: 'ARG', args: `BASE=${DEFAULT_BASE}` }, 'ARG BASE comes first, with the official slim image of Node 24 as default')
  const froms = all.map((x, i) => ({ ...x, i })).filter((x) => x.keyword === 'FROM')
  t.ok(froms.length >= 2, 'at least two stages')
  t.ok(froms.every((f) => f.args.startsWith('${BASE}')), 'every stage starts from ${BASE}')
  const final = all.slice(froms[froms.length - 1]!.i)
  const find = (k: string) => final.filter((x) => x.keyword === k)
  const user = find('USER').at(-1)?.args
  t.ok(user !== undefined && !/^(0|root)(:|$)/.test(user), `the final stage runs as a non-root user (${user ?? 'none'})`)
  t.ok(find('EXPOSE').some((x) => x.args.split(/\s+/).includes('4010')), 'EXPOSE 4010')
  t.ok(find('ENV').some((x) => /\bAURION_MOCK_HOST=0\.0\.0\.0\b/.test(x.args)), 'listens on 0.0.0.0 in the container')
  const entrypoint = find('ENTRYPOINT').at(-1)
  t.ok(entrypoint !== undefined && isExecForm(entrypoint.args), 'exec-form ENTRYPOINT, so node is PID 1 and flags pass through')
  t.same(entrypoint && JSON.parse(entrypoint.args), ['node', '/app/dist/server/bin.js'])
  const healthcheck = find('HEALTHCHECK').at(-1)?.args ?? ''
  t.match(healthcheck, /CMD \[/, 'a HEALTHCHECK in exec form')
  t.notMatch(healthcheck, /curl|wget/, 'the healthcheck needs no curl or wget')
  t.notMatch(dockerfile, /--mount=|certificates\.crt|cafile/, 'no BuildKit-only syntax and no test plumbing in the Dockerfile')
  t.ok(final.some((x) => x.keyword === 'RUN' ? /npm ci --omit=dev/.test(x.args) : x.keyword === 'COPY' && /--from=\S+ \S*node_modules/.test(x.args)),
    'the final stage gets production dependencies only (npm ci --omit=dev or a pruned node_modules)')
  const ignore = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split(/\r?\n/).map((l) => l.trim())
  t.ok(ignore.includes('*') || ignore.includes('node_modules'), '.dockerignore keeps node_modules out of the build context')
  t.notOk(ignore.some((l) => /^!\s*(node_modules|dist)/.test(l)), '.dockerignore never lets node_modules or dist back in')
})

t.test("the README's docker run lines are the ones this test runs", async (t) => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
  const lines = readme.split(/\r?\n/).map((l) => l.trim().replace(/^\$\s+/, '')).filter((l) => l.startsWith('docker run '))
  t.same([...new Set(lines)].sort(), Object.values(README_DOCKER_RUN).sort(), 'every docker run line in README.md is tested, and every tested line is in README.md')
})

const missing = await findMissingTools(TOOLS)
if (missing.length > 0) {
  const message = `${missing.join(', ')} not found (buildah, podman: apt-get install -y buildah podman runc, see shared/container.md; docker: the CLI only, no engine needed)`
  if (process.env.CI === 'true') t.fail(`the image cannot be tested in CI: ${message}`)
  else t.skip(`the image test is skipped: ${message}`, () => {})
} else {
  await testImage()
}

async function testImage (): Promise<void> {
  let built = false

  await t.test(`the Dockerfile builds with buildah on a locally made Node ${DEFAULT_BASE_MAJOR} base`, async (t) => {
    const baseNode = baseNodeBinary()
    const baseVersion = await nodeVersionOf(baseNode)
    if (!baseVersion.startsWith(`v${DEFAULT_BASE_MAJOR}.`)) {
      // CI runs this suite on Node 24; elsewhere AURION_MOCK_BASE_NODE names a Node 24 binary (.ci/fetch-node.sh).
      const message = `the base would be made from ${baseNode} (${baseVersion}), not Node ${DEFAULT_BASE_MAJOR} like ${DEFAULT_BASE}: run the tests on Node ${DEFAULT_BASE_MAJOR} or set AURION_MOCK_BASE_NODE`
      if (process.env.CI === 'true') t.fail(message)
      else t.comment(`${message}; building on ${baseVersion} anyway`)
    }
    const base = await ensureNodeBase(baseNode)
    const result = await buildImage(IMAGE, base, t.testdir({}))
    t.equal(result.code, 0, `buildah bud succeeded in ${Math.round(result.ms / 1000)} s`) || t.comment(`${result.stderr.slice(-4000)}\n${result.stdout.slice(-4000)}`)
    if (result.code !== 0) return
    built = true
    const [size, baseSize] = [await imageSize(IMAGE), await imageSize(base)]
    t.comment(`image ${IMAGE}: ${(size / 1e6).toFixed(1)} MB, of which ${((size - baseSize) / 1e6).toFixed(1)} MB on top of the base (${(baseSize / 1e6).toFixed(1)} MB)`)
    t.ok(size - baseSize < 40e6, 'the layers on top of the node base stay under 40 MB (no dev dependencies, no sources)')

    const [inspected] = JSON.parse(await mustRun('podman', ['image', 'inspect', IMAGE])) as Array<{
      Config: { User?: string; ExposedPorts?: Record<string, unknown>; Entrypoint?: string[]; Env?: string[] }
      Healthcheck?: { Test?: string[] }
    }>
    const config = inspected!.Config
    t.equal(config.User, '1000:1000')
    t.ok(config.ExposedPorts?.['4010/tcp'] !== undefined, 'port 4010 is exposed')
    t.same(config.Entrypoint, ['node', '/app/dist/server/bin.js'])
    t.ok(config.Env?.includes('AURION_MOCK_HOST=0.0.0.0'))
    t.equal(inspected!.Healthcheck?.Test?.[0], 'CMD', 'the healthcheck survived the build (docker format)')

    const inside = await mustRun('podman', ['run', '--rm', '--entrypoint', 'node', IMAGE, '-e', `
      const fs = require('node:fs')
      const has = (p) => fs.existsSync(p)
      console.log(JSON.stringify({
        node: process.version,
        uid: process.getuid(),
        fastify: has('/app/node_modules/fastify/package.json'),
        typescript: has('/app/node_modules/typescript'),
        tap: has('/app/node_modules/tap'),
        sources: has('/app/server'),
        scenarios: fs.readdirSync('/app/scenarios').filter((f) => f.endsWith('.yaml')).length,
        cwd: process.cwd()
      }))`])
    t.same(JSON.parse(inside), { node: baseVersion, uid: 1000, fastify: true, typescript: false, tap: false, sources: false, scenarios: BUNDLED_SCENARIOS, cwd: '/scenarios' },
      `runs on the base's node (${baseVersion}) as uid 1000 with production dependencies, compiled code and the bundled scenarios only`)
  })

  const skip = built ? false : 'the image did not build'

  t.test('a container answers health and the API on 127.0.0.1, passes its healthcheck and stops at once on SIGTERM', { skip }, async (t) => {
    const name = `${NAMED_PREFIX}${process.pid}-plain`
    await startContainer(t, name, [])
    const url = await publishedUrl(name)
    const health = await waitForContainer(name, url)
    t.equal(health.status, 200)
    t.same(await health.json(), { status: 'ok' })

    const tickets = await fetch(`${url}/api/v1/tickets`, { headers: { 'x-api-key': FULL_KEY } })
    t.equal(tickets.status, 200, 'GET /api/v1/tickets with the full-access key')
    const body = await tickets.json() as { data?: unknown[] }
    t.ok(Array.isArray(body.data) && body.data.length > 0, 'seeded tickets are listed')
    t.equal((await fetch(`${url}/api/v1/tickets`)).status, 401, 'no key, no tickets')

    const pid1 = await mustRun('podman', ['exec', name, 'node', '-e', 'const fs = require("node:fs"); console.log(fs.readFileSync("/proc/1/cmdline", "utf8").split("\\0").filter(Boolean).join(" "))'])
    t.equal(pid1.trim(), 'node /app/dist/server/bin.js serve', 'node itself is PID 1')

    const check = await runCommand('podman', ['healthcheck', 'run', name])
    t.equal(check.code, 0, `podman healthcheck run: ${check.stdout.trim()}`)

    const stop = await runCommand('podman', ['stop', '-t', '10', name], { timeoutMs: 20_000 })
    t.equal(stop.code, 0)
    t.ok(stop.ms < 2000, `podman stop returned in ${stop.ms} ms (SIGTERM handled, no 10 s kill)`)
    const state = JSON.parse(await mustRun('podman', ['inspect', '--format', '{{json .State}}', name])) as { ExitCode: number }
    t.equal(state.ExitCode, 0, 'exits 0 on SIGTERM')
    t.match(await mustRun('podman', ['logs', name]), /SIGTERM, closing/)
  })

  t.test('a scenario mounted from the host into /scenarios changes the answers', { skip }, async (t) => {
    const dir = t.testdir({ 'my-team.yaml': TEAM_SCENARIO, 'broken.yaml': BROKEN_SCENARIO })
    const name = `${NAMED_PREFIX}${process.pid}-scenario`
    await startContainer(t, name, ['-v', `${dir}:/scenarios:ro`, '-e', 'AURION_MOCK_SCENARIO=/scenarios/my-team.yaml'])
    const url = await publishedUrl(name)
    await waitForContainer(name, url)
    const down = await fetch(`${url}/api/v1/tickets`, { headers: { 'x-api-key': FULL_KEY } })
    t.equal(down.status, 503, "the team's rule answers GET /api/v1/tickets")
    t.match(await down.json(), { error: String, message: 'Ticket listing is down (my-team scenario)' })
    t.equal((await fetch(`${url}/api/v1/users`, { headers: { 'x-api-key': FULL_KEY } })).status, 200, 'other routes answer normally')
    t.match(await (await fetch(`${url}/__mock/scenarios`)).json(), { default: 'my-team' })

    const broken = await runCommand('podman', ['run', '--rm', '-v', `${dir}:/scenarios:ro`, IMAGE, 'validate', '/scenarios/broken.yaml'], { timeoutMs: 30_000 })
    t.equal(broken.code, 2, 'a broken scenario file fails validation with exit code 2')
    t.match(broken.stderr, /broken\.yaml:\d+/, 'and names the file and line')
  })

  t.test("the README's docker run lines work as written through the docker CLI", { skip }, async (t) => {
    const service = await startPodmanService()
    t.teardown(service.stop)
    const env = { ...CONTAINER_ENV, DOCKER_HOST: service.dockerHost }
    const project = t.testdir({ scenarios: { 'my-team.yaml': TEAM_SCENARIO } })
    const readmeUrl = `http://127.0.0.1:${README_PORT}`
    const get = async (path: string, key = FULL_KEY) => fetch(`${readmeUrl}${path}`, { headers: { 'x-api-key': key } })

    await t.test(README_DOCKER_RUN.default, async (t) => {
      await runReadmeServer(t, README_DOCKER_RUN.default, project, env, async () => {
        t.equal((await get('/api/v1/tickets')).status, 200)
        t.match(await (await fetch(`${readmeUrl}/__mock/scenarios`)).json(), { default: 'default' })
        // The GitHub Actions recipe loads a team's file this way, since services start before checkout.
        const activate = await fetch(`${readmeUrl}/__mock/scenarios/activate`, { method: 'POST', headers: { 'content-type': 'application/yaml' }, body: TEAM_SCENARIO })
        t.equal(activate.status, 200, 'a scenario file POSTed to /__mock/scenarios/activate is loaded')
        t.equal((await get('/api/v1/tickets')).status, 503, 'and answers from then on')
      })
    })
    await t.test(README_DOCKER_RUN.mountedScenario, async (t) => {
      await runReadmeServer(t, README_DOCKER_RUN.mountedScenario, project, env, async () => {
        t.equal((await get('/api/v1/tickets')).status, 503, "the mounted scenario's rule answers")
        t.equal((await get('/api/v1/users')).status, 200)
      })
    })
    await t.test(README_DOCKER_RUN.envConfig, async (t) => {
      await runReadmeServer(t, README_DOCKER_RUN.envConfig, project, env, async () => {
        t.equal((await get('/api/v1/tickets')).status, 401, 'AURION_MOCK_KEYS replaces the bundled keys')
        const maintenance = await get('/api/v1/tickets', 'ak_ci_pipeline_0001')
        t.equal(maintenance.status, 503, 'AURION_MOCK_SCENARIO=maintenance is active')
        t.ok(maintenance.headers.get('retry-after') !== null, 'with Retry-After')
      })
    })
    await t.test(README_DOCKER_RUN.validate, async (t) => {
      removeNewContainersOnTeardown(t, await imageContainers())
      const result = await runCommand('bash', ['-c', README_DOCKER_RUN.validate], { env, cwd: project, timeoutMs: 30_000 })
      t.equal(result.code, 0, result.stderr)
      t.match(result.stdout, /my-team\.yaml: ok \(my-team, 1 rule\)/)
    })
  })
}

/** `podman run -d` on a free 127.0.0.1 port; removed on teardown, whatever happens. */
async function startContainer (t: Test, name: string, args: readonly string[]): Promise<void> {
  t.teardown(async () => { await runCommand('podman', ['rm', '-f', '-t', '0', name]) })
  await mustRun('podman', ['run', '-d', '--name', name, '-p', '127.0.0.1::4010', ...args, IMAGE])
}

/**
 * Waits for a container's health endpoint (30 s: CI machines can be busy); when it does not answer,
 * the error carries the container's state and logs, which say why.
 */
async function waitForContainer (name: string, url: string): Promise<Response> {
  try {
    return await waitForHttp(`${url}/__mock/health`, 30_000)
  } catch (err) {
    const state = await runCommand('podman', ['inspect', '--format', '{{json .State}}', name])
    const logs = await runCommand('podman', ['logs', name])
    throw new Error(`${(err as Error).message}\ncontainer state: ${state.stdout.trim()}\nlogs:\n${(logs.stdout + logs.stderr).slice(-3000)}`)
  }
}

async function publishedUrl (name: string): Promise<string> {
  const mapping = (await mustRun('podman', ['port', name, '4010'])).trim().split('\n')[0] ?? ''
  return `http://${mapping}`
}

/**
 * IDs of the unnamed containers made from the image, to find the ones a README line started. The
 * containers startContainer names are left out: a test run beside this one (a shared machine) must
 * not take them for its own.
 */
async function imageContainers (): Promise<Set<string>> {
  const out = await mustRun('podman', ['ps', '-a', '--no-trunc', '--filter', `ancestor=${IMAGE}`, '--format', '{{.ID}} {{.Names}}'])
  return new Set(out.split('\n').filter((l) => l !== '' && !l.split(' ')[1]?.startsWith(NAMED_PREFIX)).map((l) => l.split(' ')[0]!))
}

/** Removes, on teardown, the containers of the image that were not there `before` (by ID). */
function removeNewContainersOnTeardown (t: Test, before: ReadonlySet<string>): void {
  t.teardown(async () => {
    for (const id of await imageContainers()) if (!before.has(id)) await runCommand('podman', ['rm', '-f', '-t', '0', id])
  })
}

/**
 * Runs one README line with bash in a project folder (so "$PWD/scenarios" means what it says),
 * checks the server on 127.0.0.1:4010, then sends SIGTERM to the docker CLI as Ctrl-C would
 * signal it: the CLI passes it on, the container stops and --rm removes it.
 */
async function runReadmeServer (t: Test, line: string, cwd: string, env: Record<string, string | undefined>, check: () => Promise<void>): Promise<void> {
  await waitForFreePort(README_PORT, 30_000)
  const before = await imageContainers()
  const child = spawn('bash', ['-c', line], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (d: Buffer) => { output += d.toString() })
  child.stderr.on('data', (d: Buffer) => { output += d.toString() })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const running = () => child.exitCode === null && child.signalCode === null
  t.teardown(() => { if (running()) process.kill(-child.pid!, 'SIGKILL') })
  removeNewContainersOnTeardown(t, before)
  try {
    const health = await waitForHttp(`http://127.0.0.1:${README_PORT}/__mock/health`, 30_000, running)
    t.equal(health.status, 200, 'healthy on 127.0.0.1:4010')
    await check()
  } finally {
    if (running()) {
      const started = Date.now()
      process.kill(-child.pid!, 'SIGTERM')
      const code = await Promise.race([exited, sleep(10_000).then(() => 'timeout' as const)])
      const ms = Date.now() - started
      t.equal(code, 0, 'the docker CLI exits 0 after SIGTERM')
      t.ok(ms < 3000, `stopped ${ms} ms after SIGTERM`)
    }
    t.comment(output.trim().split('\n').slice(0, 3).join('\n'))
  }
  t.same([...await imageContainers()].filter((id) => !before.has(id)), [], '--rm removed the container')
}
