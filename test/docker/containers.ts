// Helpers for the image test: commands, the local node base, the image build and a podman API
// socket for the docker CLI, following shared/container.md (no Docker engine, no registry pulls).

import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { homedir, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('../../', import.meta.url))
export const CONTAINERS_CONF = join(ROOT, 'scripts/container/containers.conf')
export const MAKE_NODE_BASE = join(ROOT, 'scripts/container/make-node-base.sh')
/** The CA bundle npm inside the build needs on machines whose registry access goes through a proxy. */
export const HOST_CA = '/etc/ssl/certs/ca-certificates.crt'

/** The environment for podman, buildah and the docker CLI: our containers.conf always applies. */
export const CONTAINER_ENV: Readonly<Record<string, string | undefined>> = Object.freeze({ ...process.env, CONTAINERS_CONF })

export interface CommandResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  ms: number
}

export interface CommandOptions {
  env?: Readonly<Record<string, string | undefined>>
  cwd?: string
  timeoutMs?: number
}

/** Runs a command to its end (killed after timeoutMs); never throws for a non-zero exit. */
export async function runCommand (cmd: string, args: readonly string[], options: CommandOptions = {}): Promise<CommandResult> {
  const started = Date.now()
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env: options.env ?? CONTAINER_ENV, cwd: options.cwd ?? ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString() })
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString() })
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000)
    child.once('error', (err) => {
      clearTimeout(timer)
      resolve({ code: null, signal: null, stdout, stderr: `${stderr}${err.message}`, ms: Date.now() - started })
    })
    child.once('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started })
    })
  })
}

/** Runs a command and resolves with its stdout; rejects with its output when it fails. */
export async function mustRun (cmd: string, args: readonly string[], options: CommandOptions = {}): Promise<string> {
  const r = await runCommand(cmd, args, options)
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.code ?? r.signal ?? 'not started'}):\n${r.stderr.slice(-4000)}${r.stdout.slice(-2000)}`)
  return r.stdout
}

/** Names of the commands that cannot be run here. */
export async function findMissingTools (names: readonly string[]): Promise<string[]> {
  const missing: string[] = []
  for (const name of names) {
    const r = await runCommand(name, ['--version'], { timeoutMs: 15_000 })
    if (r.code !== 0) missing.push(name)
  }
  return missing
}

/** The node binary the local base is made from: AURION_MOCK_BASE_NODE, or the node running the tests. */
export function baseNodeBinary (): string {
  return process.env.AURION_MOCK_BASE_NODE ?? process.execPath
}

/** Version of a node binary (`v24.22.3`). */
export async function nodeVersionOf (binary: string): Promise<string> {
  return (await mustRun(binary, ['--version'])).trim()
}

/**
 * Makes (or reuses) the local stand-in for node:NN-bookworm-slim from `nodeBinary`, tagged by that
 * node's version, the mode (AURION_MOCK_TEST_BASE: quick, the default, or debian) and the script itself.
 */
export async function ensureNodeBase (nodeBinary: string): Promise<string> {
  const mode = process.env.AURION_MOCK_TEST_BASE ?? 'quick'
  const script = createHash('sha256').update(readFileSync(MAKE_NODE_BASE)).digest('hex').slice(0, 8)
  const tag = `localhost/aurion-mock-nodebase:${(await nodeVersionOf(nodeBinary)).slice(1)}-${mode}-${script}`
  const exists = await runCommand('podman', ['image', 'exists', tag])
  if (exists.code !== 0) await mustRun('bash', [MAKE_NODE_BASE, tag, nodeBinary, mode], { timeoutMs: 180_000 })
  return tag
}

/**
 * Builds the repository's Dockerfile with buildah. Test-only plumbing stays out of the Dockerfile:
 * the machine's CA bundle and an npmrc naming it are mounted into the build's RUN steps, and so is
 * the host's npm cache, which makes `npm ci` inside the build quick.
 */
export async function buildImage (tag: string, base: string, workDir: string): Promise<CommandResult> {
  const npmCache = join(homedir(), '.npm')
  mkdirSync(npmCache, { recursive: true })
  const npmrc = join(workDir, 'npmrc')
  const registry = (await runCommand('npm', ['config', 'get', 'registry'])).stdout.trim()
  const lines = ['prefer-offline=true', 'update-notifier=false', 'fund=false', 'audit=false']
  if (registry.startsWith('http')) lines.push(`registry=${registry}`)
  const mounts: string[] = ['-v', `${npmrc}:/root/.npmrc:ro`, '-v', `${npmCache}:/root/.npm`]
  if (existsSync(HOST_CA)) {
    lines.push(`cafile=${HOST_CA}`)
    mounts.push('-v', `${HOST_CA}:${HOST_CA}:ro`)
  }
  writeFileSync(npmrc, `${lines.join('\n')}\n`)
  return runCommand('buildah', [
    'bud', '--pull=never', '--format', 'docker', '--layers', '--force-rm',
    '--build-arg', `BASE=${base}`, ...mounts, '-t', tag, ROOT
  ], { timeoutMs: 240_000 })
}

/** Size of a stored image in bytes, as `podman images` reports it. */
export async function imageSize (tag: string): Promise<number> {
  return Number((await mustRun('podman', ['image', 'inspect', '--format', '{{.Size}}', tag])).trim())
}

export interface PodmanService {
  dockerHost: string
  stop: () => Promise<void>
}

/** Starts `podman system service` on a socket of its own, for the docker CLI (DOCKER_HOST). */
export async function startPodmanService (): Promise<PodmanService> {
  const socket = join(tmpdir(), `aurion-mock-podman-${process.pid}.sock`)
  const dockerHost = `unix://${socket}`
  const child = spawn('podman', ['system', 'service', '--time=0', dockerHost], { env: CONTAINER_ENV, stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString() })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
      await exited
      clearTimeout(timer)
    }
  }
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`podman system service exited: ${stderr}`)
    if (existsSync(socket)) {
      const version = await runCommand('docker', ['version', '--format', '{{.Server.Version}}'], { env: { ...CONTAINER_ENV, DOCKER_HOST: dockerHost } })
      if (version.code === 0) return { dockerHost, stop }
    }
    await sleep(100)
  }
  await stop()
  throw new Error(`podman system service did not answer on ${socket}: ${stderr}`)
}

export async function sleep (ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** Fetches `url` until it answers (any status), or throws after timeoutMs. */
export async function waitForHttp (url: string, timeoutMs: number, stillRunning: () => boolean = () => true): Promise<Response> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  while (Date.now() < deadline && stillRunning()) {
    try {
      return await fetch(url, { signal: AbortSignal.timeout(2000) })
    } catch (err) {
      last = err
      await sleep(200)
    }
  }
  throw new Error(`no answer from ${url}${stillRunning() ? ` within ${timeoutMs} ms` : ': the process exited'} (${String(last)})`)
}

async function isPortFree (port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen(port, '0.0.0.0', () => server.close(() => resolve(true)))
  })
}

/** Waits until nothing listens on `port` (the README's lines publish the fixed port 4010). */
export async function waitForFreePort (port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await isPortFree(port))) {
    if (Date.now() > deadline) throw new Error(`port ${port} stayed busy for ${timeoutMs} ms; the README's docker run lines publish it`)
    await sleep(250)
  }
}
