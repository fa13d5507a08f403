// Helpers for the tests that use the package as its users do: the repository's build (made once
// when missing, under a lock so parallel test files do not compile over each other) and a way
// to run a command to completion.

import { spawn, type SpawnOptions } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, rmdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { setTimeout as delay } from 'node:timers/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))
export const DIST_BIN = join(REPO_ROOT, 'dist/server/bin.js')
export const DIST_INDEX = join(REPO_ROOT, 'dist/server/index.js')
const LOCK = join(tmpdir(), `aurion-mock-build-${createHash('sha256').update(REPO_ROOT).digest('hex').slice(0, 12)}.lock`)
const LOCK_WAIT_MS = 120_000

export interface RunResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/**
 * The environment of a user's shell: without the variables npm and tap export to the test run
 * (npm_*, NODE_OPTIONS, TAP*), so a child npm or node behaves as it would outside this repo.
 */
export function userEnv (extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(npm_|NODE_OPTIONS$|TAP)/i.test(name)) env[name] = value
  }
  return { ...env, ...extra }
}

/** Runs a command to completion and collects its output; never throws for a non-zero exit. */
export async function run (command: string, args: readonly string[], options: SpawnOptions & { timeoutMs?: number } = {}): Promise<RunResult> {
  const { timeoutMs = 120_000, ...spawnOptions } = options
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...spawnOptions })
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (d: Buffer) => { stdout += d })
  child.stderr?.on('data', (d: Buffer) => { stderr += d })
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
  return new Promise((resolve, reject) => {
    child.once('error', (err) => { clearTimeout(timer); reject(err) })
    child.once('close', (code, signal) => { clearTimeout(timer); resolve({ code, signal, stdout, stderr }) })
  })
}

/** Builds dist/ with `npm run build` unless it is there (CI builds before testing). */
export async function ensureBuilt (): Promise<void> {
  if (existsSync(DIST_BIN) && existsSync(DIST_INDEX)) return
  const started = Date.now()
  for (;;) {
    try {
      mkdirSync(LOCK)
      break
    } catch {
      if (Date.now() - started > LOCK_WAIT_MS) throw new Error(`waited ${LOCK_WAIT_MS} ms for ${LOCK}; remove it if no build is running`)
      await delay(200)
    }
  }
  try {
    if (existsSync(DIST_BIN) && existsSync(DIST_INDEX)) return
    const build = await run('npm', ['run', 'build'], { cwd: REPO_ROOT })
    if (build.code !== 0) throw new Error(`npm run build failed:\n${build.stdout}${build.stderr}`)
  } finally {
    rmdirSync(LOCK)
  }
}
