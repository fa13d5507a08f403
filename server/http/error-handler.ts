// How every error becomes an Aurion answer: thrown AurionErrors, Fastify's own client errors,
// validation failures, unknown routes (404) and known routes with another method (405).

import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { routedPath } from '../auth/request-path.js'
import { AurionError, codeForStatus, errorBody } from '../errors.js'
import { detailsFromAjv } from '../api/validation.js'
import { compilePath } from '../scenario/match.js'
import { CapacityError, StoreError } from '../store/types.js'

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

/** The error handler of the whole app. */
export function handleError (error: FastifyError | AurionError | StoreError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof AurionError) {
    if (error.headers !== undefined) void reply.headers(error.headers)
    return reply.code(error.statusCode).send(error.toBody())
  }
  if (error instanceof CapacityError) return reply.code(507).send(errorBody('insufficient_storage', error.message))
  // The shared store is away: the client may retry shortly; the store reconnects by itself.
  if (error instanceof StoreError) return reply.code(503).header('retry-after', '1').send(errorBody('service_unavailable', 'The mock\'s shared store is unreachable; retry shortly', { retry_after: 1 }))
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
}

/** Fastify's answer to URLs it cannot route (undecodable, an over-long segment): never reach handleError otherwise. */
export function handleFrameworkError (error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const message = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'Path segment too long' : 'Malformed URL'
  void reply.code(400).send(errorBody('bad_request', message))
}

/**
 * Collects the API's routes as they are added to `app` and answers requests no route takes:
 * 405 with an Allow header when the path has routes for other methods, 404 otherwise.
 */
export function createNotFound (app: FastifyInstance) {
  const routes: Array<{ match: (path: string) => boolean; method: string }> = []
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/')) return
    const methods = Array.isArray(route.method) ? route.method : [route.method]
    for (const method of methods) routes.push({ match: compilePath(route.url), method })
  })
  return function notFound (request: FastifyRequest, reply: FastifyReply): FastifyReply {
    const path = routedPath(request.url)
    const allowed = [...new Set(routes.filter((r) => r.match(path)).map((r) => r.method))]
    if (allowed.length > 0) {
      return reply.code(405).header('allow', allowed.join(', ')).send(errorBody('method_not_allowed', `Method ${request.method} not allowed; allowed: ${allowed.join(', ')}`))
    }
    return reply.code(404).send(errorBody('not_found', `No route for ${request.method} ${path}`))
  }
}
