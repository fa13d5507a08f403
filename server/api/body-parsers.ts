// How the API reads request bodies: JSON only, and an empty JSON body is no body at all.

import type { FastifyInstance } from 'fastify'

/**
 * Replaces Fastify's default body parsers in the API's scope. Its text/plain parser would hand a
 * string to validation (a 422 about `body`); without it, a body that is not JSON is the 400
 * `bad_request` of decision 2 of the API notes. Its JSON parser refuses an empty body, which is
 * what the docs' own `POST /tickets/:id/close` sends (a JSON Content-Type, the body optional).
 */
export function useApiBodyParsers (api: FastifyInstance): void {
  const { onProtoPoisoning = 'error', onConstructorPoisoning = 'error' } = api.initialConfig
  const parseJson = api.getDefaultJsonParser(onProtoPoisoning, onConstructorPoisoning)
  api.removeContentTypeParser(['application/json', 'text/plain'])
  api.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '') done(null, undefined)
    else void parseJson(request, body as string, done)
  })
}
