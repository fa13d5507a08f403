// buildApp(): the Fastify application: its options, then its parts in order (error answers, the
// API's routes behind the request pipeline, the admin API). Never listens.

import Fastify, { LogController, type FastifyInstance } from 'fastify'
import type { Socket } from 'node:net'
import { apiRoutes } from '../api/index.js'
import { createValidatorCompiler } from '../api/validation.js'
import { DEFAULT_KEYS } from '../auth/keys.js'
import { originForm, routedPath } from '../auth/request-path.js'
import { DEFAULT_CONFIG, type MockConfig } from '../config.js'
import { FAULT_KINDS, type FaultKind } from '../faults/index.js'
import { ScenarioRegistry } from '../scenario/registry.js'
import type { Scenario } from '../scenario/types.js'
import { openStore } from '../store/open.js'
import type { StateStore } from '../store/types.js'
import { systemClock, type Clock } from '../util/clock.js'
import { WebhookService } from '../webhooks/service.js'
import { packageVersion } from '../util/version.js'
import { adminPlugin } from './admin.js'
import { createGate } from './authenticate.js'
import { createNotFound, handleError, handleFrameworkError } from './error-handler.js'
import { createJournal } from './journal.js'
import { loggerOptions } from './logger.js'
import { registerOpenApi } from './openapi.js'
import { registerPipeline } from './pipeline.js'
import { answerConnect, clientErrorHandler } from './raw-answers.js'
import { RejectionLog } from './rejections.js'
import { cutSessionPrefix, refusalOf } from './url-session.js'

export interface BuildOptions {
  config?: Partial<MockConfig>
  /** Checked scenarios; the first is the default. Empty: the embedded default. */
  scenarios?: readonly Scenario[]
  clock?: Clock
  /** Replaces the in-memory store. */
  store?: StateStore
  /** A pino logger config or false; defaults to the config's log level and format. */
  logger?: boolean | object
  /** The fault kinds scenarios may use; default FAULT_KINDS, the registry. Scenarios given here must have been loaded with the same list. */
  faultKinds?: readonly FaultKind[]
}

export interface MockApp {
  app: FastifyInstance
  config: MockConfig
  store: StateStore
  scenarios: ScenarioRegistry
  clock: Clock
  /** Webhook deliveries: events, queue, retries. */
  webhooks: WebhookService
  /** Forgets one session (its state, journal and waiting deliveries), or every session and the rejection counts. */
  reset (session?: string): Promise<void>
}

export async function buildApp (options: BuildOptions = {}): Promise<MockApp> {
  const config: MockConfig = Object.freeze({ ...DEFAULT_CONFIG, ...options.config })
  const clock = options.clock ?? systemClock
  const store = options.store ?? await openStore(config, clock)
  const scenarios = new ScenarioRegistry(options.scenarios ?? [])
  const rejections = new RejectionLog()
  const gate = createGate(config.keys ?? DEFAULT_KEYS, clock, rejections)
  const held = new Set<Socket>()
  const journal = createJournal(clock)
  const faultKinds = options.faultKinds ?? FAULT_KINDS
  const webhooks = new WebhookService({ clock, allowedHosts: config.webhookHosts, timeoutMs: config.webhookTimeoutMs, retryScheduleMs: config.webhookRetriesMs })
  // The one reset: the admin API and the library both call it.
  const reset = async (session?: string): Promise<void> => {
    await store.reset(session)
    webhooks.forget(session)
    if (session === undefined) rejections.clear()
  }

  const app = Fastify({
    logger: options.logger ?? await loggerOptions(config.logLevel, config.logFormat),
    bodyLimit: config.bodyLimit,
    // Node's bare answer to a missing Host header would skip the Aurion format; the route decides.
    http: { maxHeaderSize: config.maxHeaderBytes, requireHostHeader: false },
    clientErrorHandler,
    frameworkErrors: handleFrameworkError,
    // Fastify's default 404 for HEAD/OPTIONS and trailing slashes would bypass the Aurion errors.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
    logController: new LogController({ disableRequestLogging: config.logLevel !== 'debug' && config.logLevel !== 'trace' }),
    return503OnClosing: true,
    // Absolute-form request targets become origin-form, and a `/s/<session>` prefix is cut (and
    // remembered), before routing: every layer sees one URL.
    rewriteUrl: (req) => cutSessionPrefix(req, originForm(req.url ?? '/')),
    // Our own compilers, given here rather than set later, so Fastify never loads its default
    // Ajv and fast-json-stringify compilers at start-up (a good part of the cold start).
    schemaController: {
      compilersFactory: {
        // Fastify's type wants its Ajv compiler's signature; ours takes the same { schema, httpPart }.
        buildValidator: (() => createValidatorCompiler()) as never,
        // Response schemas document the answers (OpenAPI) and are checked by the tests; they never
        // serialise: answers are JSON.stringify'd (or sent pre-made), byte for byte as before.
        buildSerializer: () => () => (data: unknown) => JSON.stringify(data)
      }
    }
  })

  // Errors, unknown routes, and what Node answers by itself (CONNECT, unknown Expect values).
  app.setErrorHandler(handleError)
  const notFound = createNotFound(app)
  app.setNotFoundHandler((request, reply) => {
    // A `/s/<bad id>/` prefix is left on the URL, so no route takes it: refused here.
    const badSession = refusalOf(request.raw)
    if (badSession !== undefined) throw gate.refuse(request, request.url, badSession)
    // /api paths outside /api/v1 have no routes, yet an API key may not reach them: 401 or 403.
    const path = routedPath(request.url)
    if (path.startsWith('/api/')) {
      const verdict = gate.check(request, path)
      if (verdict instanceof Error) throw gate.refuse(request, path, verdict)
    }
    return notFound(request, reply)
  })
  app.server.on('connect', answerConnect)
  app.server.on('checkExpectation', (req, res) => app.routing(req, res))
  app.addHook('onClose', async () => {
    for (const socket of held) socket.destroy()
    webhooks.close()
    // A store this app opened is this app's to close; one given in the options is the caller's.
    if (options.store === undefined) await store.close?.()
  })

  // Before any route: the OpenAPI generator collects them as they are added.
  await registerOpenApi(app, packageVersion())

  // The Aurion API: its routes behind the request pipeline, in their own scope.
  await app.register(async (api) => {
    await registerPipeline(api, { config, store, scenarios, clock, gate, journal, held, faultKinds })
    api.setNotFoundHandler(notFound)
    await api.register(apiRoutes, { clock, webhooks })
  }, { prefix: '/api/v1' })

  await app.register(adminPlugin, { prefix: '/__mock', store, scenarios, config, clock, rejections, faultKinds, webhooks, reset })

  return { app, config, store, scenarios, clock, webhooks, reset }
}
