// The admin API's routes as the OpenAPI document shows them: a summary and the answers of each.
// Documentation only: admin answers are JSON.stringify'd like every other.

import { ERROR_SCHEMA_ID } from '../api/schemas/answers.js'

const error = (description: string) => ({ description, $ref: `${ERROR_SCHEMA_ID}#` })

/** Errors every admin route but health may give; writes add 400 and 403 (checkBrowserWrite). */
const ADMIN_ERRORS = {
  401: error('Admin token required (the server runs with --admin-token)'),
  404: error('The admin API is switched off (--no-admin)'),
  500: error('Internal error')
}
const WRITE_ERRORS = {
  ...ADMIN_ERRORS,
  400: error('Bad session id, or a body of a type admin writes do not take'),
  403: error('A cross-origin request (a web page posting to the mock)')
}
const sessionQuery = {
  type: 'object',
  properties: { session: { type: 'string', description: 'A session id (or the X-Mock-Session header); default: every session or the default one' } }
} as const

const object = (description: string, properties: Record<string, object>, required: readonly string[]) =>
  ({ type: 'object', description, properties, required })

/** What health adds with a shared store: the scenarios this replica serves, and their fingerprint. */
const replica = { scenarios: { type: 'array', items: { type: 'string' } }, fingerprint: { type: 'string' } }

const report = object('The retry report of a session: each operation, its attempts and the checks of its retries', {
  session: { type: 'string' },
  expect: { type: 'object' },
  operations: { type: 'array', items: { type: 'object' } },
  sessionChecks: { type: 'array', items: { type: 'object' } },
  summary: object('Counts', { ok: { type: 'boolean' } }, ['ok'])
}, ['expect', 'operations', 'sessionChecks', 'summary'])

/**
 * The query strings of admin routes, for the document only: the routes check them themselves
 * (admin.ts), with their own messages, so they are not route schemas Fastify would validate.
 */
export const ADMIN_QUERIES: Readonly<Record<string, object>> = {
  '/__mock/scenarios/activate': sessionQuery,
  '/__mock/reset': sessionQuery,
  '/__mock/journal': { type: 'object', properties: { ...sessionQuery.properties, limit: { type: 'integer', minimum: 1, description: 'The latest entries only' } } },
  '/__mock/report': sessionQuery,
  '/__mock/report.html': sessionQuery,
  '/__mock/report.xml': sessionQuery,
  '/__mock/report.txt': sessionQuery,
  '/__mock/events': sessionQuery,
  '/__mock/deliveries': { type: 'object', properties: { ...sessionQuery.properties } }
}

/** Each admin route's schema (summary and answers), by route. */
export const ADMIN_SCHEMAS = {
  health: {
    summary: 'Health check (always open, also with --no-admin or --admin-token); with a shared store (--store), whether it answers and which scenarios this replica serves',
    response: {
      200: object('Up', { status: { type: 'string', enum: ['ok'] }, ...replica, store: { type: 'string', enum: ['ok'] } }, ['status']),
      503: object('The shared store does not answer', { status: { type: 'string', enum: ['unavailable'] }, ...replica, store: { type: 'string', enum: ['unreachable'] }, message: { type: 'string' } }, ['status', 'store'])
    }
  },
  scenarios: {
    summary: 'Scenarios: the active one, those loaded and those bundled',
    response: {
      200: object('Scenarios', {
        default: { type: 'string' },
        loaded: { type: 'array', items: object('A loaded scenario', { name: { type: 'string' }, description: { type: 'string' }, source: { type: 'string' }, rules: { type: 'array', items: { type: 'string' } } }, ['name', 'description', 'source', 'rules']) },
        bundled: { type: 'array', items: { type: 'string' } }
      }, ['default', 'loaded', 'bundled']),
      ...ADMIN_ERRORS
    }
  },
  activate: {
    summary: 'Activate a scenario: {"name": ...} for a loaded or bundled one, or a scenario (YAML or JSON) to check and keep',
    response: {
      200: object('Activated', { active: { type: 'string' }, session: { type: ['string', 'null'] } }, ['active', 'session']),
      ...WRITE_ERRORS,
      404: error('No scenario by that name, or the admin API is off'),
      409: error('The name is that of a scenario the server was started with'),
      422: error('The scenario has problems: `details` names each')
    }
  },
  reset: {
    summary: 'Forget one session\'s state, or every session\'s',
    response: { 200: object('Reset', { reset: { type: 'string' } }, ['reset']), ...WRITE_ERRORS }
  },
  sessions: {
    summary: 'The sessions the mock holds',
    response: { 200: object('Sessions', { sessions: { type: 'array', items: { type: 'string' } } }, ['sessions']), ...ADMIN_ERRORS }
  },
  journal: {
    summary: 'A session\'s journal: every request, its status and what the scenario did',
    response: {
      200: object('Journal', {
        session: { type: 'string' },
        entries: { type: 'array', items: object('One request', { seq: { type: 'integer' }, time: { type: 'string' }, method: { type: 'string' }, path: { type: 'string' }, status: { type: 'integer' } }, ['seq', 'time', 'method', 'path', 'status']) }
      }, ['session', 'entries']),
      ...ADMIN_ERRORS,
      400: error('Bad session id'),
      422: error('Bad limit')
    }
  },
  rejected: {
    summary: 'Requests refused before they reached a session (401, 403, malformed paths)',
    response: {
      200: object('Rejections', { total: { type: 'integer' }, byStatus: { type: 'object', additionalProperties: { type: 'integer' } }, recent: { type: 'array', items: { type: 'object' } } }, ['total', 'byStatus', 'recent']),
      ...ADMIN_ERRORS
    }
  },
  report: { summary: 'The retry report of a session (JSON)', response: { 200: report, ...ADMIN_ERRORS, 400: error('Bad session id') } },
  reportHtml: {
    summary: 'The retry report of a session as a web page',
    produces: ['text/html'],
    response: { 200: { type: 'string', description: 'An HTML page' }, ...ADMIN_ERRORS, 400: error('Bad session id') }
  },
  reportTxt: {
    summary: 'The retry report of a session as text, as `aurion-mock verify` prints it',
    produces: ['text/plain'],
    response: { 200: { type: 'string', description: 'The report as text' }, ...ADMIN_ERRORS, 400: error('Bad session id') }
  },
  events: {
    summary: 'An event happens in a session and is delivered to its webhooks subscribed to its type: a JSON body {"type", "data"} (checked by the route)',
    response: {
      202: object('Queued for delivery', { session: { type: 'string' } }, ['session']),
      ...WRITE_ERRORS,
      422: error('Unknown event type, or data that is not an object')
    }
  },
  deliveries: {
    summary: 'The webhook delivery attempts of a session, oldest first',
    response: {
      200: object('Delivery attempts', { session: { type: 'string' }, deliveries: { type: 'array', items: { type: 'object' } } }, ['session', 'deliveries']),
      ...ADMIN_ERRORS,
      400: error('Bad session id')
    }
  },
  reportXml: {
    summary: 'The retry report of a session as JUnit XML',
    produces: ['application/xml'],
    response: { 200: { type: 'string', description: 'A JUnit XML document' }, ...ADMIN_ERRORS, 400: error('Bad session id') }
  },
  keys: {
    summary: 'The API keys the mock accepts and their scopes',
    response: {
      200: object('Keys', { keys: { type: 'array', items: object('A key', { key: { type: 'string' }, scopes: { type: 'array', items: { type: 'string' } } }, ['key', 'scopes']) } }, ['keys']),
      ...ADMIN_ERRORS
    }
  },
  openapiJson: {
    summary: 'This document, as JSON',
    response: { 200: { type: 'object', description: 'An OpenAPI 3.1 document' }, ...ADMIN_ERRORS }
  },
  openapiYaml: {
    summary: 'This document, as YAML',
    produces: ['application/yaml'],
    response: { 200: { type: 'string', description: 'An OpenAPI 3.1 document' }, ...ADMIN_ERRORS }
  }
} as const
