// The admin API under /__mock (never under /api): health, scenarios, sessions, journal.

import type { FastifyInstance, FastifyRequest } from 'fastify'
import { timingSafeEqual } from 'node:crypto'
import type { Clock } from '../util/clock.js'
import type { MockConfig } from '../config.js'
import { DEFAULT_SESSION, SESSION_HEADER, SESSION_ID } from './context.js'
import { AurionError } from '../errors.js'
import { DEFAULT_KEYS } from '../auth/keys.js'
import type { RejectionLog } from './rejections.js'
import { agreeingSession } from './url-session.js'
import { bundledScenarioNames, loadBundledScenario, type ScenarioRegistry } from '../scenario/registry.js'
import { formatProblem, type LoadResult } from '../scenario/problem.js'
import type { StateStore } from '../store/types.js'
import type { FaultKind } from '../faults/index.js'
import { webhookAdminRoutes } from '../webhooks/admin.js'
import type { WebhookService } from '../webhooks/service.js'
import { ADMIN_SCHEMAS as S } from './admin-schemas.js'
import { openApiText } from './openapi.js'

import { clip } from '../util/text.js'

export interface AdminOptions {
  store: StateStore
  scenarios: ScenarioRegistry
  config: MockConfig
  clock: Clock
  rejections: RejectionLog
  /** The fault kinds posted scenarios may use. */
  faultKinds: readonly FaultKind[]
  webhooks: WebhookService
  /** The app's reset (state, waiting deliveries, rejection counts). */
  reset (session?: string): Promise<void>
}

/** The session a call names (`?session=`, X-Mock-Session or `/s/<id>/__mock/...`), checked like the API checks it. */
function sessionParam (request: FastifyRequest): string | undefined {
  const q = (request.query as Record<string, unknown>).session
  const h = request.headers[SESSION_HEADER]
  const given = typeof q === 'string' && q !== '' ? q : typeof h === 'string' && h !== '' ? h : undefined
  const id = agreeingSession(request.raw, given, typeof q === 'string' && q !== '' ? '?session=' : SESSION_HEADER)
  if (id instanceof AurionError) throw id
  if (id !== undefined && id !== DEFAULT_SESSION && !SESSION_ID.test(id)) {
    throw new AurionError('bad_request', `session must be 1-128 letters, digits or ._:@-`)
  }
  return id
}

/** Content types an admin write may carry: JSON, or a scenario as YAML. */
const WRITE_TYPES = ['application/json', 'application/yaml', 'application/x-yaml', 'text/yaml']

/**
 * Refuses what a web page could send to a mock on localhost: a foreign Origin, or a body of a type
 * a page may post without a CORS preflight (text/plain, forms). Vite's and Jupyter's servers do the same.
 */
function checkBrowserWrite (request: FastifyRequest): void {
  const origin = request.headers.origin
  if (origin !== undefined && !isSameOrigin(origin, request.headers.host)) {
    throw new AurionError('forbidden', 'Cross-origin admin requests are refused')
  }
  const site = request.headers['sec-fetch-site']
  if (site === 'cross-site' || site === 'same-site') throw new AurionError('forbidden', 'Cross-origin admin requests are refused')
  const type = request.headers['content-type']?.split(';', 1)[0]?.trim().toLowerCase()
  if (type !== undefined && type !== '' && !WRITE_TYPES.includes(type)) {
    throw new AurionError('bad_request', `Admin writes take ${WRITE_TYPES.join(', ')}`)
  }
}

function isSameOrigin (origin: string, host: string | undefined): boolean {
  try {
    const url = new URL(origin)
    return (url.protocol === 'http:' || url.protocol === 'https:') && host !== undefined && url.host === host.toLowerCase()
  } catch {
    return false // "null" (sandboxed frames, file:) and anything unparsable
  }
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

/** `{"name": "..."}` and nothing else. */
function isNameOnly (body: unknown): body is { name: string } {
  return body !== null && typeof body === 'object' && Object.keys(body).length === 1 && typeof (body as { name?: unknown }).name === 'string'
}

export async function adminPlugin (app: FastifyInstance, { store, scenarios, config, rejections, faultKinds, webhooks, reset }: AdminOptions): Promise<void> {
  const limits = { maxBytes: config.maxScenarioBytes, maxRules: config.maxRules, faultKinds }
  // Health stays open (container health checks); the rest can be locked or switched off.
  app.addHook('onRequest', async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') checkBrowserWrite(request)
    if (request.routeOptions.url === '/__mock/health') return
    if (!config.admin) throw new AurionError('not_found', 'The admin API is switched off (--no-admin)')
    if (config.adminToken !== undefined && !tokenMatches(request.headers.authorization, config.adminToken)) {
      throw new AurionError('unauthorized', 'Admin token required: send Authorization: Bearer <token>')
    }
  })

  app.addContentTypeParser(['application/yaml', 'application/x-yaml', 'text/yaml'], { parseAs: 'string' }, (_req, body, done) => done(null, body))

  app.get('/health', { schema: S.health }, async (_request, reply) => {
    if (store.ping === undefined) return { status: 'ok' }
    // A shared store: health says whether it answers, and which scenarios this replica serves.
    const served = { scenarios: scenarios.list().map(({ scenario: s }) => s.name), fingerprint: scenarios.fingerprint() }
    try {
      await store.ping()
      return { status: 'ok', store: 'ok', ...served }
    } catch (err) {
      void reply.code(503).header('retry-after', '1')
      return { status: 'unavailable', store: 'unreachable', message: (err as Error).message, ...served }
    }
  })

  app.get('/scenarios', { schema: S.scenarios }, async () => ({
    default: await store.activeScenario() ?? scenarios.default.scenario.name,
    loaded: scenarios.list().map(({ scenario: s }) => ({ name: s.name, description: s.description ?? '', source: s.source, rules: s.rules.map((r) => r.name) })),
    bundled: bundledScenarioNames()
  }))

  /**
   * Activates a scenario: `{"name": "..."}` picks a loaded or bundled one by name (never a file
   * path); a YAML body (or a JSON scenario object) is checked like a file and kept, bounded. With a
   * session, only that session switches, and a posted scenario is that session's alone.
   */
  app.post('/scenarios/activate', { schema: S.activate }, async (request) => {
    const body = request.body
    const session = sessionParam(request)
    let name: string
    if (isNameOnly(body)) {
      name = body.name
      if (scenarios.get(name, session) === undefined) {
        const bundled = await loadBundledScenario(name, limits)
        if (bundled === undefined) {
          throw new AurionError('not_found', `No scenario named ${JSON.stringify(clip(name, 128))}; loaded: ${scenarios.names(session).join(', ')}; bundled: ${bundledScenarioNames().join(', ')}`)
        }
        if (!bundled.ok) rejectProblems(bundled)
        scenarios.put(bundled.scenario)
      }
    } else {
      const { parseScenario, scenarioFromObject } = await import('../scenario/load/index.js')
      const result = typeof body === 'string' ? parseScenario(body, 'request body', limits) : scenarioFromObject(body, 'request body', limits)
      if (!result.ok) rejectProblems(result)
      name = result.scenario.name
      if (scenarios.isOperators(name)) {
        throw new AurionError('conflict', `"${name}" is a scenario the server was started with; post yours under another name`)
      }
      scenarios.post(result.scenario, JSON.stringify(result.scenario).length, session, await store.activeScenario())
    }
    await store.activateScenario(name, session)
    return { active: name, session: session ?? null }
  })

  app.post('/reset', { schema: S.reset }, async (request) => {
    const session = sessionParam(request)
    await reset(session)
    return { reset: session ?? 'all' }
  })

  app.get('/sessions', { schema: S.sessions }, async () => ({ sessions: await store.sessionIds() }))

  // Reads never create a session: an unknown one has an empty journal.
  app.get('/journal', { schema: S.journal }, async (request) => {
    const session = sessionParam(request) ?? DEFAULT_SESSION
    const raw = (request.query as Record<string, unknown>).limit
    const limit = raw === undefined ? undefined : Number(raw)
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
      throw new AurionError('validation_error', undefined, { details: [{ field: 'limit', message: 'Must be a positive integer' }] })
    }
    return { session, entries: await (await store.find(session))?.journal(limit) ?? [] }
  })

  // Requests refused before reaching a session (401, 403, malformed paths): counted, not journaled.
  app.get('/rejected', { schema: S.rejected }, async () => rejections.summary())

  // The report modules load on first use: most runs never ask, and start-up is faster without them.
  const report = async (request: FastifyRequest) => {
    const { sessionReport } = await import('../verify/session-report.js')
    return await sessionReport(store, scenarios, sessionParam(request) ?? DEFAULT_SESSION)
  }

  app.get('/report', { schema: S.report }, async (request) => report(request))
  app.get('/report.html', { schema: S.reportHtml }, async (request, reply) => {
    const { renderHtmlReport } = await import('../verify/html.js')
    return reply.type('text/html; charset=utf-8').send(renderHtmlReport(await report(request)))
  })
  app.get('/report.txt', { schema: S.reportTxt }, async (request, reply) => {
    const { formatTextReport } = await import('../verify/text.js')
    return reply.type('text/plain; charset=utf-8').send(formatTextReport(await report(request)))
  })
  app.get('/report.xml', { schema: S.reportXml }, async (request, reply) => {
    const { formatJUnit } = await import('../verify/junit.js')
    return reply.type('application/xml; charset=utf-8').send(formatJUnit(await report(request)))
  })

  // POST /events and GET /deliveries, behind the same guard.
  await app.register(webhookAdminRoutes, { store, scenarios, webhooks, seed: config.seed, sessionOf: (request: FastifyRequest) => sessionParam(request) ?? DEFAULT_SESSION })

  app.get('/keys', { schema: S.keys }, async () => ({ keys: Object.entries(config.keys ?? DEFAULT_KEYS).map(([key, scopes]) => ({ key, scopes })) }))

  // The document of this server's routes (built on the first request, then kept).
  app.get('/openapi.json', { schema: S.openapiJson }, async (_request, reply) => reply.type('application/json; charset=utf-8').send(openApiText(app, 'json')))
  app.get('/openapi.yaml', { schema: S.openapiYaml }, async (_request, reply) => reply.type('application/yaml; charset=utf-8').send(openApiText(app, 'yaml')))
}
