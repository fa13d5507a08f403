// `aurion-mock [serve]`: loads the scenarios, listens, prints what a user needs (URL, scenario,
// keys), and closes gracefully on SIGTERM/SIGINT.

import { buildApp } from '../http/app.js'
import { resolveLogFormat } from '../http/logger.js'
import { SCOPES, DEFAULT_KEYS } from '../auth/keys.js'
import type { MockConfig } from '../config.js'
import { StoreError } from '../errors.js'
import { version } from './help.js'
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type Io } from './io.js'
import { limitsOf, loadScenarios } from './validate.js'
import { watchScenarios } from './watch.js'

/** How long SIGTERM/SIGINT wait for in-flight requests before cutting connections. */
export const DRAIN_MS = 1000

function describeScopes (scopes: readonly string[]): string {
  return scopes.length === SCOPES.length ? 'all scopes' : scopes.join(', ')
}

/** Starts the server; resolves once it listens (the process then lives until a signal). */
export async function serve (config: MockConfig, io: Io): Promise<number> {
  const scenarios = await loadScenarios(config.scenarios, io, limitsOf(config))
  if (scenarios === undefined) {
    io.stderr('aurion-mock: not starting: fix the scenario problems above')
    return EXIT_USAGE
  }
  const logFormat = resolveLogFormat(config.logFormat, process.stdout.isTTY === true)
  let mock
  try {
    mock = await buildApp({ config: { ...config, logFormat }, scenarios })
  } catch (err) {
    // A shared store that cannot be reached: one line naming it, no stack trace.
    if (err instanceof StoreError) {
      io.stderr(`aurion-mock: not starting: ${err.message}`)
      return EXIT_FAILURE
    }
    throw err
  }
  const level = mock.app.log.level
  // A person at a terminal reads the banner below; Fastify's own "listening at" line would come first.
  const quiet = logFormat === 'text' && config.logLevel === 'info'
  if (quiet) mock.app.log.level = 'warn'
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
  if (quiet) mock.app.log.level = level
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
