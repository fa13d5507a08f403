// The request pipeline of the Aurion API routes, registered in the API's own scope so admin
// routes never see it. A request goes through, in order:
//   onRequest      authenticate  key (401), denied path and scope (403), then session and scenario
//   onRequest      rate limit    @fastify/rate-limit, per session and key (429)
//   preValidation  decide        the scenario engine's decision; a scripted answer or a dropped
//                                connection ends the request here (execute.before)
//   preHandler     idempotency   a replay, or 409, or the key is claimed
//   handler        the Aurion resource (api/)
//   onSend         execute.after latency, the key's stored answer, a lost answer, the fault
//                                header, the journal entry, a broken or slow body

import type { FastifyInstance } from 'fastify'
import type { Socket } from 'node:net'
import { AurionError } from '../errors.js'
import type { MockConfig } from '../config.js'
import type { FaultKind } from '../faults/index.js'
import { createIdempotencyHooks } from '../policy/idempotency-hooks.js'
import { createWindowAhead } from '../policy/rate-limit.js'
import { registerRateLimit } from '../policy/rate-limit-plugin.js'
import { decide } from '../scenario/engine.js'
import type { ScenarioRegistry } from '../scenario/registry.js'
import { isPending } from '../store/maybe.js'
import type { StateStore } from '../store/types.js'
import type { Clock } from '../util/clock.js'
import { createAuthenticateHook, type Gate } from './authenticate.js'
import { createExecutor } from './execute.js'
import type { Journal } from './journal.js'

export interface PipelineOptions {
  config: MockConfig
  store: StateStore
  scenarios: ScenarioRegistry
  clock: Clock
  gate: Gate
  journal: Journal
  held: Set<Socket>
  faultKinds: readonly FaultKind[]
}

/** Registers the pipeline's hooks in `api`, the encapsulated scope of the /api/v1 routes. */
export async function registerPipeline (api: FastifyInstance, options: PipelineOptions): Promise<void> {
  const { config, store, scenarios, clock, gate, journal, held, faultKinds } = options
  api.decorateRequest('mock', null)

  const serverLimit = { max: config.rateLimit, windowMs: config.rateLimitWindowMs }
  const windowAhead = createWindowAhead(scenarios, serverLimit)
  api.addHook('onRequest', createAuthenticateHook({ gate, store, scenarios, clock, seed: config.seed, windowAhead }))

  // Always registered: a scenario activated later may bring its own limit; max 0 skips the work.
  await registerRateLimit(api, { store, clock, ...serverLimit, headers: config.rateLimitHeaders })

  // Hooks in callback style with a synchronous path for the everyday request (no rule could match,
  // no Idempotency-Key): no promise is made for it.
  const execute = createExecutor({ clock, journal, faultHeader: config.faultHeader, held, faultKinds })
  api.addHook('preValidation', (request, reply, done) => {
    // Validators see a missing body as null (Fastify's doing), so a JSON `null` body is refused here.
    if (request.body === null) {
      done(new AurionError('validation_error', undefined, { details: [{ field: 'body', message: 'Must be a JSON object' }] }))
      return
    }
    const ctx = request.mock!
    if (ctx.scenario.candidates(request.method, ctx.path).length === 0) {
      done()
      return
    }
    const facts = { method: request.method, path: ctx.path, query: request.query as Record<string, unknown>, headers: request.headers, apiKey: ctx.apiKey, body: request.body }
    decide(ctx.scenario, facts, ctx.session, clock.now(), ctx.seed).then(async (decision) => {
      ctx.decision = decision
      // false: answered or dropped here, the handler does not run.
      if (decision === undefined || await execute.before(request, reply, decision)) done()
    }, done)
  })

  const idempotency = createIdempotencyHooks({ clock, ttlMs: config.idempotencyTtlMs })
  api.addHook('preHandler', idempotency.preHandler)

  api.addHook('onSend', (request, reply, payload, done) => {
    if (execute.isPlain(request)) {
      const written = execute.journalPlain(request, reply, payload)
      if (isPending(written)) written.then(() => done(null, payload), done)
      else done(null, payload)
      return
    }
    execute.after(request, reply, payload, idempotency.keep).then((out) => done(null, out), done)
  })
}
