// buildApp(): the Fastify application, its plugins and hooks in request order. Never listens.

import Fastify, { LogController, type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify'
import type { Socket } from 'node:net'
import { systemClock, type Clock } from '../util/clock.js'
import { DEFAULT_CONFIG, type MockConfig } from '../config.js'
import { AurionError, codeForStatus, errorBody } from '../errors.js'
import { DEFAULT_KEYS } from '../auth/keys.js'
import { RejectionLog } from './rejections.js'
import { originForm, routedPath } from '../auth/request-path.js'
import { ScenarioRegistry } from '../scenario/registry.js'
import type { Scenario } from '../scenario/types.js'
import { seedSource } from '../seed/source.js'
import { MemoryStore } from '../store/memory/index.js'
import type { StateStore } from '../store/types.js'
import { detailsFromAjv, createValidatorCompiler } from '../api/validation.js'
import { createContextHook } from './authenticate.js'
import { registerRateLimit } from '../policy/rate-limit-plugin.js'
import { createEngineHook, createLatencyHook } from './decide.js'
import { createIdempotencyHooks } from '../policy/idempotency-hooks.js'
import { clientErrorHandler } from './raw-answers.js'
import { CapacityError } from '../store/types.js'
import { createAnswerHook } from './answer.js'
import { createJournal } from './journal.js'
import { adminPlugin } from './admin.js'
import { ticketsPlugin } from '../api/tickets.js'
import { kbPlugin } from '../api/kb.js'
import { usersPlugin } from '../api/users.js'
import { webhooksPlugin } from '../api/webhooks.js'
import { callsPlugin } from '../api/calls.js'
import { usagePlugin } from '../api/usage.js'
import { configurationPlugin } from '../api/configuration.js'
import { useApiBodyParsers } from '../api/body-parsers.js'
import { compilePath } from '../scenario/match.js'

export interface BuildOptions {
  config?: Partial<MockConfig>
  /** Checked scenarios; the first is the default. Empty: the embedded default. */
  scenarios?: readonly Scenario[]
  clock?: Clock
  /** Replaces the in-memory store. */
  store?: StateStore
  /** A pino logger config or false; defaults to the config's log level. */
  logger?: boolean | object
}

export interface MockApp {
  app: FastifyInstance
  config: MockConfig
  store: StateStore
  scenarios: ScenarioRegistry
  clock: Clock
}

/** Maps Fastify's own client errors to Aurion codes and messages. */
const FASTIFY_ERRORS: Record<string, [string, string]> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ['bad_request', 'Content-Type must be application/json'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ['bad_request', 'Content-Length does not match the body'],
  FST_ERR_CTP_EMPTY_JSON_BODY: ['bad_request', 'Body must not be empty when Content-Type is application/json'],
  FST_ERR_CTP_BODY_TOO_LARGE: ['payload_too_large', 'Request body too large'],
  FST_ERR_CTP_INVALID_JSON_BODY: ['bad_request', 'Malformed JSON body'],
  FST_ERR_BAD_URL: ['bad_request', 'Malformed URL'],
  FST_ERR_ASYNC_CONSTRAINT: ['bad_request', 'Bad request']
}

/** Every route of the Aurion API, for 405 answers with an Allow header. */
interface RouteEntry { match: (path: string) => boolean; method: string }

export async function buildApp (options: BuildOptions = {}): Promise<MockApp> {
  const config: MockConfig = Object.freeze({ ...DEFAULT_CONFIG, ...options.config })
  const clock = options.clock ?? systemClock
  const store = options.store ?? new MemoryStore({
    seed: await seedSource(config.seed),
    now: () => clock.now(),
    maxSessions: config.maxSessions,
    maxJournal: config.journalSize,
    maxRecords: config.maxRecords,
    maxTotalRecords: config.maxTotalRecords,
    maxClaims: config.maxIdempotencyKeys
  })
  const scenarios = new ScenarioRegistry(options.scenarios ?? [])
  const rejections = new RejectionLog()
  const keys = config.keys ?? DEFAULT_KEYS
  const held = new Set<Socket>()
  const journal = createJournal(clock)

  const app = Fastify({
    logger: options.logger ?? (config.logLevel === 'silent' ? false : { level: config.logLevel }),
    bodyLimit: config.bodyLimit,
    // Node's bare answer to a missing Host header would skip the Aurion format; the route decides.
    http: { maxHeaderSize: config.maxHeaderBytes, requireHostHeader: false },
    clientErrorHandler,
    // Undecodable URLs and over-long path segments never reach the error handler otherwise.
    frameworkErrors: (error, _request, reply) => {
      const message = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'Path segment too long' : 'Malformed URL'
      void (reply as FastifyReply).code(400).send(errorBody('bad_request', message))
    },
    // Fastify's default 404 for HEAD/OPTIONS and trailing slashes would bypass the Aurion errors.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
    logController: new LogController({ disableRequestLogging: config.logLevel !== 'debug' && config.logLevel !== 'trace' }),
    return503OnClosing: true,
    // Absolute-form request targets become origin-form before routing: every layer sees one URL.
    rewriteUrl: (req) => originForm(req.url ?? '/'),
    // Our own compilers, given here rather than set later, so Fastify never loads its default
    // Ajv and fast-json-stringify compilers at start-up (a good part of the cold start).
    schemaController: {
      compilersFactory: {
        // Fastify's type wants its Ajv compiler's signature; ours takes the same { schema, httpPart }.
        buildValidator: (() => createValidatorCompiler()) as never,
        // No route declares a response schema: answers are JSON.stringify'd (or sent pre-made).
        buildSerializer: () => () => (data: unknown) => JSON.stringify(data)
      }
    }
  })
  // Not decorateRequest('mock'): Fastify sets decorators in a loop in its Request constructor, and
  // a second name there (the limiter has one) makes that store megamorphic on every request. The
  // context hook, the first hook of all, sets the property on every request instead; readers
  // treat a missing one as null.

  app.setErrorHandler((error: FastifyError | AurionError | CapacityError, request, reply) => {
    if (error instanceof AurionError) {
      if (error.headers !== undefined) void reply.headers(error.headers)
      return reply.code(error.statusCode).send(error.toBody())
    }
    if (error instanceof CapacityError) return reply.code(507).send(errorBody('insufficient_storage', error.message))
    if (error.validation !== undefined) {
      const part = error.validationContext === 'querystring' ? 'query' : error.validationContext ?? 'body'
      return reply.code(422).send(errorBody('validation_error', 'Request validation failed', { details: detailsFromAjv(error.validation as never, part) }))
    }
    const known = error.code === undefined ? undefined : FASTIFY_ERRORS[error.code]
    if (known !== undefined) {
      const status = known[0] === 'payload_too_large' ? 413 : 400
      return reply.code(status).send(errorBody(known[0], known[1]))
    }
    const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500
    if (status === 500) request.log.error({ err: error }, 'unexpected error')
    return reply.code(status).send(errorBody(codeForStatus(status), status === 500 ? undefined : error.message))
  })

  const routes: RouteEntry[] = []
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/')) return
    const methods = Array.isArray(route.method) ? route.method : [route.method]
    for (const method of methods) routes.push({ match: compilePath(route.url), method })
  })

  app.setNotFoundHandler((request, reply) => {
    const path = routedPath(request.url)
    const allowed = [...new Set(routes.filter((r) => r.match(path)).map((r) => r.method))]
    if (allowed.length > 0) {
      return reply.code(405).header('allow', allowed.join(', ')).send(errorBody('method_not_allowed', `Method ${request.method} not allowed; allowed: ${allowed.join(', ')}`))
    }
    return reply.code(404).send(errorBody('not_found', `No route for ${request.method} ${path}`))
  })

  app.addHook('onRequest', createContextHook({ store, scenarios, keys, clock, seed: config.seed, rejections }))
  // Always registered: a scenario activated later may bring its own limit; max 0 skips the work.
  await registerRateLimit(app, { store, clock, max: config.rateLimit, windowMs: config.rateLimitWindowMs, headers: config.rateLimitHeaders })
  const engineHook = createEngineHook({ clock, journal, held })
  app.addHook('preValidation', (request, reply, done) => {
    // Validators see a missing body as null (Fastify's doing), so a JSON `null` body is refused here.
    if (request.body === null) done(new AurionError('validation_error', undefined, { details: [{ field: 'body', message: 'Must be a JSON object' }] }))
    else engineHook(request, reply, done)
  })
  const idempotency = createIdempotencyHooks({ clock, ttlMs: config.idempotencyTtlMs })
  app.addHook('preHandler', idempotency.preHandler)
  app.addHook('onSend', createLatencyHook(clock))
  app.addHook('onSend', idempotency.onSend)
  app.addHook('onSend', createAnswerHook({ clock, journal, faultHeader: config.faultHeader, held }))
  // CONNECT and unknown Expect values are answered by Node itself unless someone listens.
  app.server.on('connect', (_req: unknown, socket: Socket) => {
    const body = JSON.stringify(errorBody('method_not_allowed', 'CONNECT is not supported'))
    socket.end(`HTTP/1.1 405 Method Not Allowed\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`)
  })
  app.server.on('checkExpectation', (req, res) => app.routing(req, res))
  app.addHook('onClose', async () => {
    for (const socket of held) socket.destroy()
  })

  const resourceOptions = { clock }
  await app.register(async (api) => {
    useApiBodyParsers(api)
    await api.register(ticketsPlugin, resourceOptions)
    await api.register(kbPlugin, resourceOptions)
    await api.register(usersPlugin)
    await api.register(webhooksPlugin, resourceOptions)
    await api.register(callsPlugin)
    await api.register(usagePlugin, resourceOptions)
    await api.register(configurationPlugin)
  }, { prefix: '/api/v1' })
  await app.register(adminPlugin, { prefix: '/__mock', store, scenarios, config, clock, rejections })

  return { app, config, store, scenarios, clock }
}
