// Admin routes of webhook deliveries, registered inside the admin plugin (its guard applies):
//   POST /__mock/events      an event on demand (call.*, user.created have no API trigger)
//   GET  /__mock/deliveries  the delivery journal of a session

import type { FastifyInstance, FastifyRequest } from 'fastify'
import { AurionError } from '../errors.js'
import { ADMIN_SCHEMAS } from '../http/admin-schemas.js'
import type { ScenarioRegistry } from '../scenario/registry.js'
import type { StateStore } from '../store/types.js'
import { WEBHOOK_EVENTS } from './events.js'
import type { EventOrigin, WebhookService } from './service.js'

export interface WebhookAdminOptions {
  store: StateStore
  scenarios: ScenarioRegistry
  webhooks: WebhookService
  /** The session an admin call names (checked), or the default one. */
  sessionOf: (request: FastifyRequest) => string
  /** The server's seed, for sessions whose scenario has none. */
  seed: number
}

/** The origin of an event asked for through the admin API: the session, its active scenario and seed. */
export async function originOf (store: StateStore, scenarios: ScenarioRegistry, sessionId: string, seed: number): Promise<EventOrigin> {
  const session = await store.session(sessionId)
  const name = await store.activeScenario(sessionId)
  const scenario = (name === undefined ? undefined : scenarios.get(name, sessionId)) ?? scenarios.default
  return { session, scenario: scenario.scenario, seed: scenario.scenario.seed ?? seed }
}

function checkEventBody (body: unknown): { type: string; data: Record<string, unknown> } {
  const given = body !== null && typeof body === 'object' && !Array.isArray(body) ? body as Record<string, unknown> : {}
  const details = []
  if (typeof given.type !== 'string' || !(WEBHOOK_EVENTS as readonly string[]).includes(given.type)) {
    details.push({ field: 'type', message: `Must be one of ${WEBHOOK_EVENTS.join(', ')}` })
  }
  const data = given.data ?? {}
  if (data === null || typeof data !== 'object' || Array.isArray(data)) details.push({ field: 'data', message: 'Must be a JSON object' })
  for (const key of Object.keys(given)) if (key !== 'type' && key !== 'data') details.push({ field: key, message: 'Unknown field; an event takes type and data' })
  if (details.length > 0) throw new AurionError('validation_error', undefined, { details })
  return { type: given.type as string, data: data as Record<string, unknown> }
}

export async function webhookAdminRoutes (app: FastifyInstance, { store, scenarios, webhooks, sessionOf, seed }: WebhookAdminOptions): Promise<void> {
  app.post('/events', { schema: ADMIN_SCHEMAS.events }, async (request, reply) => {
    const { type, data } = checkEventBody(request.body)
    const origin = await originOf(store, scenarios, sessionOf(request), seed)
    const emitted = await webhooks.emit(origin, type, data)
    return reply.code(202).send({ session: origin.session.id, ...emitted })
  })

  app.get('/deliveries', { schema: ADMIN_SCHEMAS.deliveries }, async (request) => {
    const session = sessionOf(request)
    return { session, deliveries: await (await store.find(session))?.deliveries() ?? [] }
  })
}
