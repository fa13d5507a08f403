// The command line: `aurion-mock [serve]` runs the server, `aurion-mock validate FILE...` checks
// scenario files. main() returns the exit code instead of exiting, so tests can call it.

import { readFileSync, watch, type FSWatcher } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { buildApp } from '../http/app.js'
import { ConfigError, OPTIONS, resolveConfig, type MockConfig } from '../config.js'
import { DEFAULT_KEYS, SCOPES } from '../auth/keys.js'
import { PACKAGE_ROOT } from '../util/package-paths.js'
import { formatProblem, type LoadOptions } from '../scenario/problem.js'
import type { Scenario } from '../scenario/types.js'
import { bundledScenarioNames, loadScenarioRef } from '../scenario/registry.js'
import { parseArgs } from 'node:util'
import { writeFile } from 'node:fs/promises'
import type { RetryReport } from '../verify/report.js'

export interface Io {
  stdout: (line: string) => void
  stderr: (line: string) => void
}

const defaultIo: Io = {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`)
}

export const EXIT_OK = 0
export const EXIT_FAILURE = 1
export const EXIT_USAGE = 2
/** How long SIGTERM/SIGINT wait for in-flight requests before cutting connections. */
export const DRAIN_MS = 1000

export function version (): string {
  return (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version
}

export function helpText (): string {
  const rows = OPTIONS.map((o) => {
    const flag = `${o.short !== undefined ? `-${o.short}, ` : '    '}--${o.flag}${o.kind === 'bool' ? '' : ' <value>'}`
    return `  ${flag.padEnd(30)} ${o.help}\n  ${''.padEnd(30)} env: ${o.env}`
  })
  return [
    'Usage: aurion-mock [serve] [options]',
    '       aurion-mock validate FILE...',
    '',
    'A mock of the Aurion API with scripted, deterministic fault injection.',
    '',
    'Commands:',
    '  serve (default)    start the server',
    '  validate FILE...   check scenario files; exit 0 when all are valid, 2 otherwise',
    '  verify --url URL [--session S]... [--junit FILE]',
    '                     grade the clients that used a running mock; exit 1 when a check fails',
    '',
    'Options (flags win over environment variables, which win over defaults):',
    ...rows,
    '  -h, --help                     show this help',
    '  -v, --version                  show the version',
    '',
    `Bundled scenarios: ${bundledScenarioNames().join(', ')}`
  ].join('\n')
}

async function loadAll (refs: readonly string[], io: Io, limits: LoadOptions): Promise<Scenario[] | undefined> {
  const scenarios: Scenario[] = []
  let bad = false
  for (const ref of refs) {
    const result = await loadScenarioRef(ref, limits)
    if (result.ok) scenarios.push(result.scenario)
    else {
      bad = true
      for (const p of result.problems) io.stderr(formatProblem(p))
    }
  }
  return bad ? undefined : scenarios
}

function limitsOf (config: MockConfig): LoadOptions {
  return { maxBytes: config.maxScenarioBytes, maxRules: config.maxRules }
}

async function validate (files: readonly string[], io: Io, limits: LoadOptions): Promise<number> {
  if (files.length === 0) {
    io.stderr('aurion-mock validate: name at least one scenario file')
    return EXIT_USAGE
  }
  const loaded = await loadAll(files, io, limits)
  if (loaded === undefined) return EXIT_USAGE
  for (const s of loaded) io.stdout(`${s.source}: ok (${s.name}, ${s.rules.length} rule${s.rules.length === 1 ? '' : 's'})`)
  return EXIT_OK
}

function describeScopes (scopes: readonly string[]): string {
  return scopes.length === SCOPES.length ? 'all scopes' : scopes.join(', ')
}

/** Watches scenario files (by directory, so editors that replace files are seen) and reloads them. */
function watchScenarios (refs: readonly string[], onReload: (s: Scenario) => void, io: Io, limits: LoadOptions): FSWatcher[] {
  const files = refs.filter((r) => r.includes('/') || r.includes('\\') || r.endsWith('.yaml') || r.endsWith('.yml')).map((f) => resolve(f))
  const byDir = new Map<string, Set<string>>()
  for (const f of files) {
    const set = byDir.get(dirname(f)) ?? new Set()
    set.add(basename(f))
    byDir.set(dirname(f), set)
  }
  const timers = new Map<string, NodeJS.Timeout>()
  const watchers: FSWatcher[] = []
  for (const [dir, names] of byDir) {
    const w = watch(dir, (_event, name) => {
      if (name === null || !names.has(name)) return
      const file = join(dir, name)
      clearTimeout(timers.get(file))
      // Editors write in several steps; reload once the file has settled.
      timers.set(file, setTimeout(() => {
        void loadScenarioRef(file, limits).then((result) => {
          if (result.ok) {
            onReload(result.scenario)
            io.stdout(`reloaded ${file} (${result.scenario.name})`)
          } else {
            io.stderr(`${file}: not reloaded, the last good version keeps serving:`)
            for (const p of result.problems) io.stderr(formatProblem(p))
          }
        })
      }, 150))
    })
    w.on('error', (err) => io.stderr(`watch ${dir}: ${err.message}`))
    watchers.push(w)
  }
  return watchers
}

async function serve (config: MockConfig, io: Io): Promise<number> {
  const scenarios = await loadAll(config.scenarios, io, limitsOf(config))
  if (scenarios === undefined) {
    io.stderr('aurion-mock: not starting: fix the scenario problems above')
    return EXIT_USAGE
  }
  const mock = await buildApp({ config, scenarios })
  try {
    await mock.app.listen({ port: config.port, host: config.host })
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    await mock.app.close()
    if (e.code === 'EADDRINUSE') io.stderr(`aurion-mock: port ${config.port} is already in use on ${config.host} (choose another with --port)`)
    else if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND') io.stderr(`aurion-mock: cannot bind to ${config.host}: ${e.code}`)
    else io.stderr(`aurion-mock: cannot listen: ${e.message}`)
    return EXIT_FAILURE
  }
  const address = mock.app.server.address()
  const port = typeof address === 'object' && address !== null ? address.port : config.port
  // A wildcard bind is reached through loopback; print an address a user can paste.
  const shown = config.host === '0.0.0.0' ? '127.0.0.1' : config.host === '::' ? '::1' : config.host
  const url = `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`
  // Watch before announcing the server, so an edit made as soon as it is up is not missed.
  const watchers = config.watch ? watchScenarios(config.scenarios, (s) => mock.scenarios.put(s), io, limitsOf(config)) : []
  const active = mock.scenarios.default.scenario
  io.stdout(`aurion-mock ${version()} listening on ${url}`)
  io.stdout(`scenario: ${active.name}${active.description !== undefined ? ` (${active.description})` : ''}`)
  const others = mock.scenarios.list().filter((s) => s !== mock.scenarios.default)
  if (others.length > 0) io.stdout(`also loaded (choose with X-Mock-Scenario): ${others.map((s) => s.scenario.name).join(', ')}`)
  io.stdout('API keys (send as X-API-Key):')
  for (const [key, scopes] of Object.entries(config.keys ?? DEFAULT_KEYS)) io.stdout(`  ${key.padEnd(32)} ${describeScopes(scopes)}`)
  io.stdout(`admin: ${url}/__mock/health`)

  const stop = (signal: string) => {
    io.stdout(`aurion-mock: ${signal}, closing`)
    for (const w of watchers) w.close()
    // In-flight requests get a moment to finish; slow ones (drips, held connections) are then cut.
    setTimeout(() => mock.app.server.closeAllConnections(), DRAIN_MS).unref()
    mock.app.close().then(() => { process.exitCode = EXIT_OK }, (err: Error) => {
      io.stderr(`aurion-mock: error while closing: ${err.message}`)
      process.exitCode = EXIT_FAILURE
    })
  }
  process.once('SIGTERM', () => stop('SIGTERM'))
  process.once('SIGINT', () => stop('SIGINT'))
  return EXIT_OK
}

/** `aurion-mock verify`: fetches the retry report of one or more sessions from a running mock. */
async function verify (argv: readonly string[], env: Readonly<Record<string, string | undefined>>, io: Io): Promise<number> {
  let values
  try {
    values = parseArgs({
      args: [...argv],
      options: { url: { type: 'string' }, session: { type: 'string', multiple: true }, junit: { type: 'string' }, verbose: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      strict: true
    }).values
  } catch (err) {
    io.stderr(`aurion-mock verify: ${(err as Error).message.split('\n')[0]} (see aurion-mock --help)`)
    return EXIT_USAGE
  }
  if (values.help === true) {
    io.stdout('Usage: aurion-mock verify --url URL [--session S]... [--junit FILE] [--verbose]')
    return EXIT_OK
  }
  const url = values.url ?? env.AURION_MOCK_URL
  if (url === undefined) {
    io.stderr('aurion-mock verify: --url is required (or AURION_MOCK_URL), e.g. --url http://127.0.0.1:4010')
    return EXIT_USAGE
  }
  const sessions = values.session ?? ['default']
  const reports: RetryReport[] = []
  // Loaded here, not at the top: serving never needs them, and start-up is faster without.
  const { formatTextReport } = await import('../verify/text.js')
  const { formatJUnit } = await import('../verify/junit.js')
  for (const session of sessions) {
    let res: Response
    try {
      res = await fetch(new URL(`/__mock/report?session=${encodeURIComponent(session)}`, url))
    } catch (err) {
      io.stderr(`aurion-mock verify: cannot reach ${url}: ${(err as Error).message}`)
      return EXIT_USAGE
    }
    if (!res.ok) {
      io.stderr(`aurion-mock verify: ${url} answered ${res.status} for the report of session ${session}`)
      return EXIT_USAGE
    }
    const report = await res.json() as RetryReport
    reports.push(report)
    io.stdout(formatTextReport(report, { color: false, verbose: values.verbose === true }))
  }
  if (values.junit !== undefined) await writeFile(values.junit, formatJUnit(reports))
  return reports.every((r) => r.summary.ok) ? EXIT_OK : EXIT_FAILURE
}

/** Runs the command line; resolves to the exit code (a running server keeps the process alive). */
export async function main (argv: readonly string[], env: Readonly<Record<string, string | undefined>>, io: Io = defaultIo): Promise<number> {
  const [first, ...rest] = argv
  if (first === 'verify') return verify(rest, env, io)
  const command = first === 'validate' || first === 'serve' ? first : 'serve'
  const args = command === first ? rest : argv
  let resolved
  try {
    resolved = resolveConfig(args, env)
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    io.stderr(`aurion-mock: ${err.message} (see aurion-mock --help)`)
    return EXIT_USAGE
  }
  if (resolved.help) {
    io.stdout(helpText())
    return EXIT_OK
  }
  if (resolved.version) {
    io.stdout(version())
    return EXIT_OK
  }
  if (command === 'validate') return validate(resolved.positionals, io, limitsOf(resolved.config))
  if (resolved.positionals.length > 0) {
    io.stderr(`aurion-mock: unexpected argument "${resolved.positionals[0]}" (see aurion-mock --help)`)
    return EXIT_USAGE
  }
  return serve(resolved.config, io)
}
