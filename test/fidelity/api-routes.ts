// The Aurion routes with the JSON Schemas they declare, read from the resource plugins themselves
// (registered on a bare Fastify that never listens), so a new route or field is tested without
// anyone listing it here.

import { WebhookService } from '../../server/webhooks/service.js'
import Fastify from 'fastify'
import { systemClock } from '../../server/util/clock.js'
import { apiRoutes as registerApiRoutes } from '../../server/api/index.js'

export interface JsonSchema {
  type?: string | string[]
  properties?: Record<string, JsonSchema>
  required?: string[]
  [keyword: string]: unknown
}

export interface ApiRoute {
  method: string
  /** The full path pattern, e.g. /api/v1/tickets/:id. */
  url: string
  body?: JsonSchema
  querystring?: JsonSchema
}

/** Every route of the resource plugins, in registration order. */
export async function apiRoutes (): Promise<ApiRoute[]> {
  const app = Fastify({ logger: false })
  // Only the declared schemas are wanted: nothing is compiled or served.
  app.setValidatorCompiler(() => () => true)
  // Response schemas refer to the shared AurionError, which the app (not the plugins) adds.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data))
  const routes: ApiRoute[] = []
  app.addHook('onRoute', (route) => {
    const schema = (route.schema ?? {}) as { body?: JsonSchema; querystring?: JsonSchema }
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue
      routes.push({ method, url: route.url, ...(schema.body !== undefined ? { body: schema.body } : {}), ...(schema.querystring !== undefined ? { querystring: schema.querystring } : {}) })
    }
  })
  await app.register(registerApiRoutes, { prefix: '/api/v1', clock: systemClock, webhooks: new WebhookService({ clock: systemClock, allowedHosts: [] }) })
  await app.ready()
  await app.close()
  return routes
}

/** A path to a record that exists in the seed, for a route pattern. */
export function concretePath (url: string): string {
  return url
    .replace('/tickets/:id', '/tickets/1001')
    .replace('/kb/articles/:id', '/kb/articles/101')
    .replace('/users/:id', '/users/42')
    .replace('/configuration/:section', '/configuration/general')
}
