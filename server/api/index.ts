// The Aurion API's resources: one Fastify plugin each, registered here under the API's scope.

import type { FastifyInstance } from 'fastify'
import type { Clock } from '../util/clock.js'
import type { WebhookService } from '../webhooks/service.js'
import { useApiBodyParsers } from './body-parsers.js'
import { callsPlugin } from './calls.js'
import { configurationPlugin } from './configuration.js'
import { kbPlugin } from './kb.js'
import { ticketsPlugin } from './tickets.js'
import { usagePlugin } from './usage.js'
import { usersPlugin } from './users.js'
import { webhooksPlugin } from './webhooks.js'

export interface ApiOptions {
  clock: Clock
  webhooks: WebhookService
}

/** Every resource route, with the API's body parsers; register with the prefix /api/v1. */
export async function apiRoutes (api: FastifyInstance, { clock, webhooks }: ApiOptions): Promise<void> {
  useApiBodyParsers(api)
  await api.register(ticketsPlugin, { clock, webhooks })
  await api.register(kbPlugin, { clock })
  await api.register(usersPlugin)
  await api.register(webhooksPlugin, { clock, webhooks })
  await api.register(callsPlugin)
  await api.register(usagePlugin, { clock })
  await api.register(configurationPlugin)
}
