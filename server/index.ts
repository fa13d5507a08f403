// The library API: start a mock inside a test run, or build the app yourself.

import { buildApp, type BuildOptions, type MockApp } from './http/app.js'
import { ConfigError, ScenarioError } from './errors.js'
import type { Clock } from './util/clock.js'
import { DEFAULT_CONFIG, type MockConfig } from './config.js'
import type { FaultKind } from './faults/index.js'
import { formatProblem, scenarioFromObject } from './scenario/load/index.js'
import type { Scenario } from './scenario/types.js'
import { loadScenarioRef } from './scenario/registry.js'
import type { DeliveryEntry, JournalEntry } from './store/types.js'
import type { RetryReport } from './verify/report.js'
import { sessionReport } from './verify/session-report.js'
import { sessionHandle, type MockSession } from './library/session.js'
import { originOf } from './webhooks/admin.js'
import { WEBHOOK_EVENTS } from './webhooks/events.js'
import type { Emitted } from './webhooks/service.js'

export { buildApp } from './http/app.js'
export { CapacityError, ConfigError, INTERNAL_ERRORS, MockError, RetryPolicyError, ScenarioError } from './errors.js'
export { sessionAt } from './library/session.js'
export type { MockSession } from './library/session.js'
export type { InternalErrorCode } from './errors.js'
export type { BuildOptions, MockApp } from './http/app.js'
export { ManualClock, systemClock } from './util/clock.js'
export type { Clock } from './util/clock.js'
export { DEFAULT_CONFIG, resolveConfig } from './config.js'
export type { MockConfig } from './config.js'
export { DEFAULT_KEYS, SCOPES } from './auth/keys.js'
export { parseScenario, loadScenarioFile, scenarioFromObject, formatProblem } from './scenario/load/index.js'
export type { LoadResult, Problem } from './scenario/load/index.js'
export type { Scenario, Rule, Step } from './scenario/types.js'
export type { DeliveryEntry, JournalEntry, StateStore, SessionState } from './store/types.js'
export type { Emitted } from './webhooks/service.js'
export type { WebhookEvent } from './webhooks/events.js'
export type { ReceiverReport } from './verify/receiver.js'
export { MemoryStore } from './store/memory/index.js'
export { bundledScenarioNames, DEFAULT_SCENARIO } from './scenario/registry.js'
export type { RetryReport, OperationReport } from './verify/report.js'
export type { Expect } from './expect/index.js'

/** A scenario as a file path, a bundled name, or an object in the scenario format. */
export type ScenarioInput = string | Record<string, unknown>

export interface StartOptions {
  scenario?: ScenarioInput | ScenarioInput[]
  seed?: number
  /** 0 (the default) picks a free port. */
  port?: number
  host?: string
  /** false (default) for silence, true for info logs, or a level name. */
  logging?: boolean | MockConfig['logLevel']
  /** Any other server option (rate limit, keys, ...). */
  config?: Partial<MockConfig>
  clock?: Clock
  /** The fault kinds scenarios may use; default the registry's (server/faults/index.ts). */
  faultKinds?: readonly FaultKind[]
}

export interface MockServer {
  url: string
  port: number
  close (): Promise<void>
  /** Forgets one session's state (or every session's). */
  reset (session?: string): Promise<void>
  /** The journal of a session ('default' when omitted). */
  journal (session?: string): Promise<JournalEntry[]>
  /** The retry report of a session ('default' when omitted): did the client behave? */
  report (session?: string): Promise<RetryReport>
  /** A session of this server (`name`, or a new `session-<n>`): its base URL `<url>/s/<id>`, header, report, journal, reset and policy assertion. */
  session (name?: string): MockSession
  /** The webhook delivery attempts of a session ('default' when omitted), oldest first. */
  deliveries (session?: string): Promise<DeliveryEntry[]>
  /**
   * Makes an event happen in a session ('default' when omitted), as POST /__mock/events does: it
   * is delivered to the session's webhooks subscribed to its type. Resolves once it is queued.
   */
  trigger (event: TriggerEvent): Promise<Emitted>
  /** The underlying app, for advanced use. */
  mock: MockApp
}

/** An event to deliver: its type (ticket.created, call.completed, ...), its data, its session. */
export interface TriggerEvent {
  type: string
  data?: Record<string, unknown>
  session?: string
}

async function resolveScenarios (input: StartOptions['scenario'], config: Partial<MockConfig> = {}, faultKinds?: readonly FaultKind[]): Promise<Scenario[]> {
  const list = input === undefined ? [] : Array.isArray(input) ? input : [input]
  const limits = {
    maxBytes: config.maxScenarioBytes ?? DEFAULT_CONFIG.maxScenarioBytes,
    maxRules: config.maxRules ?? DEFAULT_CONFIG.maxRules,
    ...(faultKinds !== undefined ? { faultKinds } : {})
  }
  const out: Scenario[] = []
  for (const item of list) {
    const result = typeof item === 'string' ? await loadScenarioRef(item, limits) : scenarioFromObject(item, 'inline', limits)
    if (!result.ok) throw new ScenarioError(result.problems.map(formatProblem))
    out.push(result.scenario)
  }
  return out
}

/** Starts a mock server on 127.0.0.1 (a free port by default). No global state: start as many as you like. */
export async function startMockServer (options: StartOptions = {}): Promise<MockServer> {
  const logging = options.logging ?? false
  const logLevel: MockConfig['logLevel'] = logging === false ? 'silent' : logging === true ? 'info' : logging
  const build: BuildOptions = {
    config: {
      ...options.config,
      port: options.port ?? 0,
      host: options.host ?? '127.0.0.1',
      logLevel,
      ...(options.seed !== undefined ? { seed: options.seed } : {})
    },
    scenarios: await resolveScenarios(options.scenario, options.config, options.faultKinds)
  }
  if (options.clock !== undefined) build.clock = options.clock
  if (options.faultKinds !== undefined) build.faultKinds = options.faultKinds
  const mock = await buildApp(build)
  await mock.app.listen({ port: mock.config.port, host: mock.config.host })
  const address = mock.app.server.address()
  const port = typeof address === 'object' && address !== null ? address.port : mock.config.port
  const host = mock.config.host.includes(':') ? `[${mock.config.host}]` : mock.config.host
  const url = `http://${host}:${port}`
  const backend = {
    reset: mock.reset,
    journal: async (session = 'default') => await (await mock.store.find(session))?.journal() ?? [],
    report: async (session = 'default') => sessionReport(mock.store, mock.scenarios, session),
    deliveries: async (session = 'default') => await (await mock.store.find(session))?.deliveries() ?? [],
    trigger: async ({ type, data = {}, session = 'default' }: TriggerEvent) => {
      if (!(WEBHOOK_EVENTS as readonly string[]).includes(type)) throw new ConfigError(`trigger: unknown event type ${JSON.stringify(type)}; one of ${WEBHOOK_EVENTS.join(', ')}`)
      return mock.webhooks.emit(await originOf(mock.store, mock.scenarios, session, mock.config.seed), type, data)
    }
  }
  let sessions = 0
  return {
    url,
    port,
    mock,
    close: () => mock.app.close(),
    ...backend,
    session: (name) => sessionHandle(url, name ?? `session-${++sessions}`, backend)
  }
}
