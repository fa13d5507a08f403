// The admin API under /__mock (never under /api): health, scenarios, sessions, journal.

import type { FastifyInstance, FastifyRequest } from 'fastify'
import { timingSafeEqual } from 'node:crypto'
import type { Clock } from './clock.js'
import type { MockConfig } from './config.js'
import { SESSION_HEADER } from './context.js'
import { AurionError } from './errors.js'
import { DEFAULT_KEYS } from './keys.js'
import { bundledScenarioNames, loadScenarioRef, type ScenarioRegistry } from './scenarios.js'
import { formatProblem, type LoadResult } from './scenario/problem.js'
import type { StateStore } from './store/types.js'
import { SESSION_SCENARIO_KEY } from './hooks/context.js'

export interface AdminOptions {
  store: StateStore
  scenarios: ScenarioRegistry
  config: MockConfig
  clock: Clock
}

function sessionParam (request: FastifyRequest): string | undefined {
  const q = (request.query as Record<string, unknown>).session
  if (typeof q === 'string' && q !== '') return q
  const h = request.headers[SESSION_HEADER]
  return typeof h === 'string' && h !== '' ? h : undefined
}

/** Constant-time comparison of a Bearer header with the admin token. */
function tokenMatches (header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.startsWith('Bearer ') === true ? header.slice(7) : '')
  const wanted = Buffer.from(token)
  return given.length === wanted.length && timingSafeEqual(given, wanted)
}

function rejectProblems (result: LoadResult & { ok: false }): never {
  throw new AurionError('validation_error', 'Scenario is invalid', {
    details: result.problems.map((p) => ({ field: p.pointer === '' ? '/' : p.pointer, message: formatProblem(p) }))
  })
}

export async function adminPlugin (app: FastifyInstance, { store, scenarios, config }: AdminOptions): Promise<void> {
  // Health stays open (container health checks); the rest can be locked or switched off.
  app.addHook('onRequest', async (request) => {
    if (request.url === '/__mock/health' || request.url.startsWith('/__mock/health?')) return
    if (!config.admin) throw new AurionError('not_found', 'The admin API is switched off (--no-admin)')
    if (config.adminToken !== undefined && !tokenMatches(request.headers.authorization, config.adminToken)) {
      throw new AurionError('unauthorized', 'Admin token required: send Authorization: Bearer <token>')
    }
  })

  app.addContentTypeParser(['application/yaml', 'application/x-yaml', 'text/yaml', 'text/plain'], { parseAs: 'string' }, (_req, body, done) => done(null, body))

  app.get('/health', async () => ({ status: 'ok' }))

  app.get('/scenarios', async () => ({
    default: scenarios.default.scenario.name,
    loaded: scenarios.list().map(({ scenario: s }) => ({ name: s.name, description: s.description ?? '', source: s.source, rules: s.rules.map((r) => r.name) })),
    bundled: bundledScenarioNames()
  }))

  /**
   * Activates a scenario: `{"name": "..."}` picks a loaded or bundled one; a YAML body (or a JSON
   * scenario object) is checked like a file and loaded. With a session, only that session switches.
   */
  app.post('/scenarios/activate', async (request) => {
    const body = request.body
    let result: LoadResult
    const limits = { maxBytes: config.maxScenarioBytes, maxRules: config.maxRules }
    const { parseScenario, scenarioFromObject } = await import('./scenario/load.js')
    if (typeof body === 'string') result = parseScenario(body, 'request body', limits)
    else if (body !== null && typeof body === 'object' && Object.keys(body).length === 1 && typeof (body as { name?: unknown }).name === 'string') {
      const name = (body as { name: string }).name
      const known = scenarios.get(name)
      result = known !== undefined ? { ok: true, scenario: known.scenario } : await loadScenarioRef(name, limits)
    } else result = scenarioFromObject(body, 'request body', limits)
    if (!result.ok) rejectProblems(result)
    const scenario = result.scenario
    if (scenarios.get(scenario.name)?.scenario !== scenario) scenarios.put(scenario)
    const session = sessionParam(request)
    if (session === undefined) scenarios.activate(scenario.name)
    else await store.session(session).set(SESSION_SCENARIO_KEY, scenario.name)
    return { active: scenario.name, session: session ?? null }
  })

  app.post('/reset', async (request) => {
    const session = sessionParam(request)
    await store.reset(session)
    return { reset: session ?? 'all' }
  })

  app.get('/sessions', async () => ({ sessions: store.sessionIds() }))

  app.get('/journal', async (request) => {
    const session = sessionParam(request) ?? 'default'
    const raw = (request.query as Record<string, unknown>).limit
    const limit = raw === undefined ? undefined : Number(raw)
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
      throw new AurionError('validation_error', undefined, { details: [{ field: 'limit', message: 'Must be a positive integer' }] })
    }
    return { session, entries: await store.session(session).journal(limit) }
  })

  // The report modules load on first use: most runs never ask, and start-up is faster without them.
  const report = async (request: FastifyRequest) => {
    const { sessionReport } = await import('./session-report.js')
    return await sessionReport(store, scenarios, sessionParam(request) ?? 'default')
  }

  app.get('/report', async (request) => report(request))
  app.get('/report.html', async (request, reply) => {
    const { renderHtmlReport } = await import('./verify/html.js')
    return reply.type('text/html; charset=utf-8').send(renderHtmlReport(await report(request)))
  })
  app.get('/report.xml', async (request, reply) => {
    const { formatJUnit } = await import('./verify/junit.js')
    return reply.type('application/xml; charset=utf-8').send(formatJUnit(await report(request)))
  })

  app.get('/keys', async () => ({ keys: Object.entries(config.keys ?? DEFAULT_KEYS).map(([key, scopes]) => ({ key, scopes })) }))
}
