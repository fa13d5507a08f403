// Every request example of the Aurion API notes (../shared/aurion-api.md, cited by section) and of
// the README, with the answer they document: status, body shape, headers. Run by
// documented-examples.test.ts, each in a fresh session of one server.

import type { JsonResponse } from '../helpers.js'

export const WRITE_ONLY = 'ak_live_doc_tickets_write_only'

const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/
const TICKET_KEYS = ['category', 'created_at', 'description', 'id', 'priority', 'requester_email', 'status', 'subject', 'updated_at']
const KB_LIST_KEYS = ['category', 'helpful_votes', 'id', 'status', 'title', 'updated_at', 'views']
const KB_DETAIL_KEYS = [...KB_LIST_KEYS, 'content_html', 'created_at', 'folder', 'tags'].sort()
const CALL_LIST_KEYS = ['authenticated', 'caller_id', 'channel', 'duration_seconds', 'ended_at', 'id', 'language', 'requester_id', 'started_at', 'status', 'tickets_created']
const CALL_DETAIL_KEYS = [...CALL_LIST_KEYS, 'escalated', 'requester_name', 'sentiment', 'tools_used'].sort()
const ENVELOPE_KEYS = ['data', 'limit', 'offset', 'total']
const UNAUTHORIZED = { error: 'unauthorized', message: 'Invalid or missing API key' }
const DENIED = { error: 'forbidden', message: 'API keys are not permitted for this endpoint' }
const lacks = (scope: string) => ({ error: 'forbidden', message: `API key lacks required scope: ${scope}` })
const OLD_TICKET = { subject: 'VPN not connecting', description: 'Unable to connect ...', priority: 'high', category: 'Network' }
const OLD_WEBHOOK = { url: 'https://your-app.com/webhooks/aurion', events: ['ticket.created', 'ticket.updated', 'call.completed'], secret: 'whsec_xxxx' }

export interface Step {
  method: string
  /** A path, or one made from the answers of the steps before (the setup's, in order). */
  path: string | ((before: JsonResponse[]) => string)
  body?: unknown
  raw?: string
  /** An API key; null sends none. Default: the full-access key. */
  key?: string | null
  headers?: Record<string, string>
}

export interface Example extends Step {
  /** Where the example is documented: a section of the API notes, or a README section. */
  source: string
  title: string
  /** Requests made first, in the same session. */
  setup?: Step[]
  /** The server it runs on: `main`, or `limited` (rate limit 1 per minute, a manual clock). */
  server?: 'main' | 'limited' | 'small'
  /** Manual-clock time to let pass between the setup and the request. */
  advanceMs?: number
  status: number
  /** A tap match pattern for the answer's body. */
  answer?: unknown
  /** The exact body. */
  exact?: unknown
  /** The body's exact top-level keys, or those of each item of its list. */
  keys?: string[]
  itemKeys?: string[]
  /** Response headers: a value, a pattern, or null for "absent". */
  answerHeaders?: Record<string, string | RegExp | null>
  /** Any further check: returns what is wrong, or undefined. */
  check?: (res: JsonResponse, before: JsonResponse[]) => string | undefined
}

const sortedBy = (items: Record<string, unknown>[], field: string, order: 'asc' | 'desc'): boolean =>
  items.every((x, i) => i === 0 || (order === 'asc' ? String(items[i - 1]![field]) <= String(x[field]) : String(items[i - 1]![field]) >= String(x[field])))
const numbersSorted = (items: Record<string, unknown>[], field: string): boolean =>
  items.every((x, i) => i === 0 || Number(items[i - 1]![field]) <= Number(x[field]))
const problem = (ok: boolean, what: string): string | undefined => (ok ? undefined : what)

export const EXAMPLES: Example[] = [
  // §1 General conventions
  { source: '§1', title: 'timestamps are ISO-8601 UTC with Z and second precision; create is 201', method: 'POST', path: '/api/v1/tickets', body: OLD_TICKET, status: 201, answerHeaders: { 'content-type': /^application\/json/ }, answer: { created_at: TIMESTAMP, updated_at: TIMESTAMP } },
  { source: '§1', title: 'reads are 200', method: 'GET', path: '/api/v1/tickets/1001', status: 200, answerHeaders: { 'content-type': /^application\/json/ } },
  { source: '§1', title: 'updates are 200', method: 'PUT', path: '/api/v1/tickets/1001', body: { priority: 'low' }, status: 200 },
  { source: '§1', title: 'delete is 204 with no body', setup: [{ method: 'POST', path: '/api/v1/webhooks', body: OLD_WEBHOOK }], method: 'DELETE', path: (b) => `/api/v1/webhooks/${b[0]!.body.id}`, status: 204, check: (res) => problem(res.text === '', 'a 204 has no body') },

  // §2 Authentication and scopes
  { source: '§2', title: '401 without a key, exact OLD body', method: 'GET', path: '/api/v1/tickets', key: null, status: 401, exact: UNAUTHORIZED },
  { source: '§2', title: '401 with an unknown key, exact OLD body', method: 'GET', path: '/api/v1/tickets', key: 'ak_live_xxxx', status: 401, exact: UNAUTHORIZED },
  { source: '§2', title: '403 for a missing scope names it, exact OLD body', method: 'POST', path: '/api/v1/tickets', key: 'ak_live_mock_read_only_0002', body: OLD_TICKET, status: 403, exact: lacks('tickets:write') },
  { source: '§2 scope table', title: 'tickets:read: GET /tickets', method: 'GET', path: '/api/v1/tickets', key: 'ak_live_mock_read_only_0002', status: 200 },
  { source: '§2 scope table', title: 'tickets:read opens every GET under /api/v1/tickets/', method: 'GET', path: '/api/v1/tickets/1001', key: 'ak_live_mock_read_only_0002', status: 200 },
  { source: '§2 scope table', title: 'tickets:write: PUT /tickets/:id', method: 'PUT', path: '/api/v1/tickets/1001', key: 'ak_live_mock_read_only_0002', body: { status: 'pending' }, status: 403, exact: lacks('tickets:write') },
  { source: '§2', title: 'tickets:write gates /tickets/:id/notes', method: 'POST', path: '/api/v1/tickets/1001/notes', key: 'ak_live_mock_read_only_0002', body: { body: 'x' }, status: 403, exact: lacks('tickets:write') },
  { source: '§2', title: 'tickets:write gates /tickets/:id/close', method: 'POST', path: '/api/v1/tickets/1001/close', key: 'ak_live_mock_read_only_0002', status: 403, exact: lacks('tickets:write') },
  { source: '§2', title: 'a write scope does not grant GET', method: 'GET', path: '/api/v1/tickets', key: WRITE_ONLY, status: 403, exact: lacks('tickets:read') },
  { source: '§2', title: 'a write scope allows POST on its prefix', method: 'POST', path: '/api/v1/tickets', key: WRITE_ONLY, body: OLD_TICKET, status: 201 },
  { source: '§2 scope table', title: 'kb:read: GET /kb/articles', method: 'GET', path: '/api/v1/kb/articles', key: 'ak_live_mock_tickets_only_0003', status: 403, exact: lacks('kb:read') },
  { source: '§2 scope table', title: 'kb:write: POST /kb/articles', method: 'POST', path: '/api/v1/kb/articles', key: 'ak_live_mock_read_only_0002', body: { title: 't', content_html: 'c' }, status: 403, exact: lacks('kb:write') },
  { source: '§2 scope table', title: 'users:read: GET /users', method: 'GET', path: '/api/v1/users', key: 'ak_live_mock_tickets_only_0003', status: 403, exact: lacks('users:read') },
  { source: '§2 scope table', title: 'webhooks:manage gates GET /webhooks too', method: 'GET', path: '/api/v1/webhooks', key: 'ak_live_mock_read_only_0002', status: 403, exact: lacks('webhooks:manage') },
  { source: '§2 scope table', title: 'calls:read: GET /calls', method: 'GET', path: '/api/v1/calls', key: 'ak_live_mock_tickets_only_0003', status: 403, exact: lacks('calls:read') },
  { source: '§2 scope table', title: 'usage:read: GET /usage', method: 'GET', path: '/api/v1/usage/summary', key: 'ak_live_mock_tickets_only_0003', status: 403, exact: lacks('usage:read') },
  { source: '§2 scope table', title: 'config:read: GET /configuration/*', method: 'GET', path: '/api/v1/configuration/general', key: 'ak_live_mock_tickets_only_0003', status: 403, exact: lacks('config:read') },
  { source: '§2 scope table', title: 'config:write: PUT /configuration/*', method: 'PUT', path: '/api/v1/configuration/general', key: 'ak_live_mock_read_only_0002', body: {}, status: 403, exact: lacks('config:write') },
  { source: '§2 denied paths', title: '/api/v1/super-admin/*', method: 'GET', path: '/api/v1/super-admin/tenants', status: 403, exact: DENIED },
  { source: '§2 denied paths', title: '/api/configuration/api-keys', method: 'GET', path: '/api/configuration/api-keys', status: 403, exact: DENIED },
  { source: '§2 denied paths', title: '/api/sync/*', method: 'POST', path: '/api/sync/run', body: {}, status: 403, exact: DENIED },
  { source: '§2 (NEW)', title: 'API keys are allow-listed to /api/v1/*: /api/kb', method: 'GET', path: '/api/kb', status: 403, exact: DENIED },
  { source: '§2 (NEW)', title: 'API keys are allow-listed to /api/v1/*: /api/v2/*', method: 'GET', path: '/api/v2/kb/search?q=vpn&limit=5', status: 403, exact: DENIED },

  // §3 Pagination
  { source: '§3', title: 'the envelope, limit 25 and offset 0 by default', method: 'GET', path: '/api/v1/tickets', status: 200, keys: ENVELOPE_KEYS, answer: { limit: 25, offset: 0, total: 60 }, check: (r) => problem(r.body.data.length === 25, '25 items') },
  { source: '§3', title: 'limit=100 when pulling everything', method: 'GET', path: '/api/v1/tickets?limit=100', status: 200, answer: { limit: 100, offset: 0, total: 60 }, check: (r) => problem(r.body.data.length === 60, 'every ticket') },
  { source: '§3', title: 'next page: offset += limit; the last page is short; total counts every match', method: 'GET', path: '/api/v1/tickets?limit=25&offset=50', status: 200, answer: { limit: 25, offset: 50, total: 60 }, check: (r) => problem(r.body.data.length === 10, 'ten left') },
  { source: '§3', title: 'past the end: data [] and total still set', method: 'GET', path: '/api/v1/tickets?offset=200', status: 200, answer: { data: [], total: 60, offset: 200 } },
  { source: '§3, §9.3', title: 'limit over 100 is a 422 on limit', method: 'GET', path: '/api/v1/tickets?limit=101', status: 422, answer: { error: 'validation_error', details: [{ field: 'limit', message: 'Must be at most 100' }] } },
  { source: '§3, §9.3', title: 'a negative offset is a 422 on offset', method: 'GET', path: '/api/v1/tickets?offset=-1', status: 422, answer: { details: [{ field: 'offset', message: 'Must be at least 0' }] } },

  // §4 Errors
  { source: '§4.1', title: 'the OLD 422 example: priority not in the enum', method: 'POST', path: '/api/v1/tickets', body: { ...OLD_TICKET, priority: 'critical' }, status: 422, exact: { error: 'validation_error', message: 'Request validation failed', details: [{ field: 'priority', message: 'Must be one of: low, medium, high, urgent' }] } },
  { source: '§4.1', title: 'details only on 422: a 404 has none', method: 'GET', path: '/api/v1/tickets/999999', status: 404, exact: { error: 'not_found', message: 'Ticket not found' } },
  { source: '§4.3, §9.2', title: '400 bad_request for malformed JSON', method: 'POST', path: '/api/v1/tickets', raw: '{"subject": ', headers: { 'content-type': 'application/json' }, status: 400, exact: { error: 'bad_request', message: 'Malformed JSON body' } },
  { source: '§4.3, §9.2', title: '400 bad_request for a body that is not JSON', method: 'POST', path: '/api/v1/tickets', raw: 'subject=VPN', headers: { 'content-type': 'text/plain' }, status: 400, exact: { error: 'bad_request', message: 'Content-Type must be application/json' } },
  { source: '§9.2', title: '404 not_found for an unknown route', method: 'GET', path: '/api/v1/nothing-here', status: 404, answer: { error: 'not_found' } },
  { source: '§9.2', title: '405 method_not_allowed with Allow', method: 'DELETE', path: '/api/v1/tickets/1001', status: 405, answer: { error: 'method_not_allowed' }, answerHeaders: { allow: /GET/ } },
  { source: '§4.2, §9.2', title: '409 conflict for a webhook URL already registered', setup: [{ method: 'POST', path: '/api/v1/webhooks', body: OLD_WEBHOOK }], method: 'POST', path: '/api/v1/webhooks', body: OLD_WEBHOOK, status: 409, answer: { error: 'conflict' } },
  { source: '§9.2', title: '413 payload_too_large past the body limit', method: 'POST', path: '/api/v1/tickets', body: { subject: 's', description: 'x'.repeat(1_048_577) }, status: 413, exact: { error: 'payload_too_large', message: 'Request body too large' } },
  { source: '§4.3', title: '500 internal_error (scripted)', method: 'GET', path: '/api/v1/tickets', headers: { 'x-mock-scenario': 'doc-faults', 'x-doc-status': '500' }, status: 500, answer: { error: 'internal_error', message: String } },
  { source: '§4.2, §9.2', title: '503 service_unavailable in maintenance, with Retry-After and retry_after', method: 'GET', path: '/api/v1/tickets', headers: { 'x-mock-scenario': 'maintenance' }, status: 503, answer: { error: 'service_unavailable', retry_after: Number }, check: (r) => problem(r.headers.get('retry-after') === String(r.body.retry_after), 'Retry-After equals retry_after') },

  // §5.1 Rate limiting
  { source: '§5.1, §9.7', title: 'the OLD 429 example: Retry-After 12 and the same retry_after', server: 'limited', setup: [{ method: 'GET', path: '/api/v1/tickets' }], advanceMs: 48_000, method: 'GET', path: '/api/v1/tickets', status: 429, exact: { error: 'rate_limit_exceeded', message: 'Rate limit exceeded. Retry after 12 seconds.', retry_after: 12 }, answerHeaders: { 'retry-after': '12', 'x-ratelimit-limit': null } },

  // §5.3 Idempotency
  { source: '§5.3, §9.6', title: 'same key, same body: the first answer replayed, marked', setup: [{ method: 'POST', path: '/api/v1/tickets', body: OLD_TICKET, headers: { 'idempotency-key': 'idem_xxxx' } }], method: 'POST', path: '/api/v1/tickets', body: OLD_TICKET, headers: { 'idempotency-key': 'idem_xxxx' }, status: 201, answer: { id: 1061 }, check: (r, b) => problem(r.text === b[0]!.text && r.headers.get('idempotent-replayed') === 'true', 'byte-identical, Idempotent-Replayed: true') },
  { source: '§5.3', title: 'same key, different body: 409 idempotency_conflict', setup: [{ method: 'POST', path: '/api/v1/tickets', body: OLD_TICKET, headers: { 'idempotency-key': 'idem_xxxx' } }], method: 'POST', path: '/api/v1/tickets', body: { ...OLD_TICKET, priority: 'urgent' }, headers: { 'idempotency-key': 'idem_xxxx' }, status: 409, exact: { error: 'idempotency_conflict', message: 'Idempotency-Key reused with a different request body' } },

  // §6.1 Tickets
  { source: '§6.1', title: 'POST /tickets, the OLD request: the OLD response', method: 'POST', path: '/api/v1/tickets', body: OLD_TICKET, status: 201, answer: { id: 1061, subject: 'VPN not connecting', status: 'open', priority: 'high', category: 'Network', created_at: TIMESTAMP }, keys: TICKET_KEYS },
  { source: '§6.1, §9.4', title: 'create needs subject and description; priority defaults to medium, status to open', method: 'POST', path: '/api/v1/tickets', body: { subject: 'Printer offline', description: '3rd floor' }, status: 201, answer: { priority: 'medium', status: 'open', category: null, requester_email: null } },
  { source: '§6.1 (NEW)', title: 'a subject over 255 characters is a 422', method: 'POST', path: '/api/v1/tickets', body: { subject: 's'.repeat(256), description: 'd' }, status: 422, answer: { details: [{ field: 'subject' }] } },
  { source: '§6.1 (NEW)', title: 'missing subject and description: 422 on both', method: 'POST', path: '/api/v1/tickets', body: {}, status: 422, answer: { details: [{ field: 'subject', message: 'Field required' }, { field: 'description', message: 'Field required' }] } },
  { source: '§6.1, §9.4', title: 'GET /tickets/{id}: the ticket object', method: 'GET', path: '/api/v1/tickets/1001', status: 200, keys: TICKET_KEYS, answer: { id: 1001, created_at: TIMESTAMP } },
  { source: '§6.1', title: 'GET /tickets/{id} unknown: 404 not_found', method: 'GET', path: '/api/v1/tickets/999999', status: 404, answer: { error: 'not_found' } },
  { source: '§6.1', title: 'GET /tickets with status, priority, category, search, limit, offset', method: 'GET', path: '/api/v1/tickets?status=open&priority=high&category=network&search=vpn&limit=5&offset=0', status: 200, keys: ENVELOPE_KEYS, answer: { limit: 5, offset: 0 }, check: (r) => problem((r.body.data as Record<string, string>[]).every((x) => x.status === 'open' && x.priority === 'high' && x.category === 'Network' && /vpn/i.test(x.subject! + x.description!)), 'every item matches every filter') },
  { source: '§9.4', title: 'the list is sorted by created_at descending', method: 'GET', path: '/api/v1/tickets?limit=100', status: 200, check: (r) => problem(sortedBy(r.body.data, 'created_at', 'desc'), 'newest first') },
  { source: '§6.1', title: 'PUT /tickets/{id} with the partial example body: 200 with the ticket', method: 'PUT', path: '/api/v1/tickets/1001', body: { status: 'pending', priority: 'medium' }, status: 200, keys: TICKET_KEYS, answer: { id: 1001, status: 'pending', priority: 'medium' } },
  { source: '§6.1, §9.4', title: 'POST /tickets/{id}/notes: 201 with the note object', method: 'POST', path: '/api/v1/tickets/1001/notes', body: { body: 'User confirmed ...', private: true }, status: 201, keys: ['body', 'created_at', 'id', 'private', 'ticket_id'], answer: { ticket_id: 1001, body: 'User confirmed ...', private: true, created_at: TIMESTAMP } },
  { source: '§6.1', title: 'POST /tickets/{id}/close with a JSON Content-Type and no body', method: 'POST', path: '/api/v1/tickets/1001/close', headers: { 'content-type': 'application/json' }, status: 200, answer: { id: 1001, status: 'closed' } },
  { source: '§6.1, §9.4', title: 'POST /tickets/{id}/close with {"resolution"}', method: 'POST', path: '/api/v1/tickets/1001/close', body: { resolution: 'Reinstalled the VPN client' }, status: 200, answer: { id: 1001, status: 'closed', resolution: 'Reinstalled the VPN client' } },
  { source: '§7, §9.11', title: 'a closed ticket reopened is a plain open ticket again', setup: [{ method: 'POST', path: '/api/v1/tickets/1001/close', body: { resolution: 'Fixed' } }], method: 'PUT', path: '/api/v1/tickets/1001', body: { status: 'open' }, status: 200, keys: TICKET_KEYS, answer: { status: 'open' } },
  { source: '§9.3', title: 'unknown body fields are ignored', method: 'POST', path: '/api/v1/tickets', body: { ...OLD_TICKET, metadata: { team: 'it' }, external_provider: 'freshservice' }, status: 201, keys: TICKET_KEYS },

  // §6.2 Knowledge base
  { source: '§6.2', title: 'GET /kb/articles with search, category, status, limit, offset: summaries', method: 'GET', path: '/api/v1/kb/articles?status=published&limit=5&offset=0', status: 200, keys: ENVELOPE_KEYS, itemKeys: KB_LIST_KEYS, answer: { limit: 5, offset: 0 }, check: (r) => problem((r.body.data as Record<string, string>[]).every((a) => a.status === 'published'), 'only published') },
  { source: '§6.2', title: 'search over title and content, category filter', method: 'GET', path: '/api/v1/kb/articles?search=vpn&limit=100', status: 200, check: (r) => problem(r.body.total >= 1, 'VPN articles found') },
  { source: '§6.2', title: 'GET /kb/articles/{id}: the list fields plus content_html, folder, tags, created_at', method: 'GET', path: '/api/v1/kb/articles/101', status: 200, keys: KB_DETAIL_KEYS, answer: { id: 101, content_html: String, folder: String, tags: Array, created_at: TIMESTAMP } },
  { source: '§6.2', title: 'POST /kb/articles with the suggested fields: 201, ids after the seed\'s', method: 'POST', path: '/api/v1/kb/articles', body: { title: 'How to Set Up VPN on Linux', content_html: '<h2>Prerequisites</h2>', category: 'Network', folder: 'VPN & Remote Access', tags: ['vpn', 'linux'], status: 'published' }, status: 201, keys: KB_DETAIL_KEYS, answer: { id: 121, title: 'How to Set Up VPN on Linux', views: 0, helpful_votes: 0 } },
  { source: '§6.2', title: 'PUT /kb/articles/{id}', method: 'PUT', path: '/api/v1/kb/articles/101', body: { status: 'draft' }, status: 200, keys: KB_DETAIL_KEYS, answer: { id: 101, status: 'draft' } },
  { source: '§6.2, §9.10', title: 'POST /api/kb/create-v2 is outside /api/v1: 403 to API keys', method: 'POST', path: '/api/kb/create-v2', body: {}, status: 403, exact: DENIED },

  // §6.3 Users
  { source: '§6.3', title: 'GET /users: the OLD envelope with REF-like user fields', method: 'GET', path: '/api/v1/users?limit=3', status: 200, keys: ENVELOPE_KEYS, answer: { limit: 3, data: [{ id: 42, email: String, full_name: String, role: String, is_active: Boolean }] } },
  { source: '§6.3', title: 'GET /users/{id}: requester 42', method: 'GET', path: '/api/v1/users/42', status: 200, answer: { id: 42, email: String } },
  { source: '§6.3', title: 'GET /users with role, is_active and search', method: 'GET', path: '/api/v1/users?role=agent&is_active=true&search=example.com', status: 200, check: (r) => problem((r.body.data as Record<string, unknown>[]).every((u) => u.role === 'agent' && u.is_active === true), 'filters hold') },

  // §6.4 Webhooks
  { source: '§6.4', title: 'POST /webhooks, the OLD body: the OLD response (active, the secret)', method: 'POST', path: '/api/v1/webhooks', body: OLD_WEBHOOK, status: 201, keys: ['active', 'created_at', 'events', 'id', 'secret', 'url'], answer: { id: /^wh_/, url: OLD_WEBHOOK.url, events: OLD_WEBHOOK.events, active: true, secret: 'whsec_xxxx', created_at: TIMESTAMP } },
  { source: '§6.4', title: 'GET /webhooks: {webhooks:[...]} with is_active and no secret', setup: [{ method: 'POST', path: '/api/v1/webhooks', body: OLD_WEBHOOK }], method: 'GET', path: '/api/v1/webhooks', status: 200, keys: ['webhooks'], check: (r) => problem(Object.keys(r.body.webhooks[0]).sort().join() === 'created_at,events,id,is_active,url', 'list items: id, url, events, is_active, created_at') },
  { source: '§6.4', title: 'DELETE /webhooks/{id}: 204, empty', setup: [{ method: 'POST', path: '/api/v1/webhooks', body: OLD_WEBHOOK }], method: 'DELETE', path: (b) => `/api/v1/webhooks/${b[0]!.body.id}`, status: 204, check: (r) => problem(r.text === '', 'empty body') },
  { source: '§6.4 (NEW)', title: 'an unknown event is refused (422 here, decision 3)', method: 'POST', path: '/api/v1/webhooks', body: { url: 'https://your-app.com/hooks', events: ['ticket.exploded'] }, status: 422, answer: { details: [{ field: 'events[0]' }] } },

  // §6.5 Calls
  { source: '§6.5', title: 'GET /calls: default limit 20, newest first, list-item fields', method: 'GET', path: '/api/v1/calls', status: 200, keys: ENVELOPE_KEYS, itemKeys: CALL_LIST_KEYS, answer: { limit: 20, offset: 0, data: [{ id: /^call_/, requester_id: Number, tickets_created: Array, authenticated: Boolean }] }, check: (r) => problem(sortedBy(r.body.data, 'started_at', 'desc'), 'started_at desc') },
  { source: '§6.5', title: 'GET /calls with sort_by=duration_seconds, sort_order=asc, limit=10', method: 'GET', path: '/api/v1/calls?sort_by=duration_seconds&sort_order=asc&limit=10', status: 200, answer: { limit: 10 }, check: (r) => problem(numbersSorted(r.body.data, 'duration_seconds'), 'shortest first') },
  { source: '§6.5', title: 'GET /calls/{id}: the list fields plus requester_name, escalated, sentiment, tools_used', setup: [{ method: 'GET', path: '/api/v1/calls?limit=1' }], method: 'GET', path: (b) => `/api/v1/calls/${b[0]!.body.data[0].id}`, status: 200, keys: CALL_DETAIL_KEYS, answer: { requester_name: String, escalated: Boolean, sentiment: String, tools_used: Array } },

  // §6.6 Usage
  { source: '§6.6', title: 'GET /usage/summary: the MID response', method: 'GET', path: '/api/v1/usage/summary', status: 200, keys: ['api_calls', 'billing_status', 'period', 'plan', 'storage_mb', 'voice_minutes'], answer: { period: { start: TIMESTAMP, end: TIMESTAMP }, voice_minutes: { used: Number, limit: 1000, percentage: Number }, api_calls: { limit: 50000 }, storage_mb: { limit: 5000 }, plan: 'professional', billing_status: 'active' } },
  { source: '§6.6', title: 'GET /usage/details with start_date, end_date: {data} per day, no pagination', method: 'GET', path: '/api/v1/usage/details?start_date=2026-03-01&end_date=2026-03-07', status: 200, keys: ['data'], itemKeys: ['api_calls', 'date', 'llm_tokens', 'voice_minutes'], answer: { data: [{ date: '2026-03-01', llm_tokens: { input: Number, output: Number } }] }, check: (r) => problem(r.body.data.length === 7, 'seven days') },
  { source: '§6.6', title: 'GET /usage/details with group_by=week and event_type=api', method: 'GET', path: '/api/v1/usage/details?start_date=2026-03-01&end_date=2026-03-31&group_by=week&event_type=api', status: 200, itemKeys: ['api_calls', 'date'] },

  // §6.7 Configuration
  { source: '§6.7', title: 'GET /configuration/{section} returns the object', method: 'GET', path: '/api/v1/configuration/general', status: 200, answer: { timezone: 'Europe/Paris' } },
  { source: '§6.7', title: 'PUT /configuration/{section} replaces it', setup: [{ method: 'PUT', path: '/api/v1/configuration/general', body: { timezone: 'UTC' } }], method: 'GET', path: '/api/v1/configuration/general', status: 200, exact: { timezone: 'UTC' } },

  // README: the walkthrough (also run as curl by test/readme.test.ts)
  { source: 'README Quickstart', title: 'create a ticket: 201 with id 1061', method: 'POST', path: '/api/v1/tickets', body: { subject: 'VPN not connecting', description: 'Unable to connect', priority: 'high', category: 'Network' }, status: 201, answer: { id: 1061 } },
  { source: 'README Quickstart', title: 'a 422 with one detail per failing field', method: 'POST', path: '/api/v1/tickets', body: { subject: '', priority: 'critical' }, status: 422, check: (r) => problem((r.body.details as { field: string }[]).map((d) => d.field).sort().join() === 'description,priority,subject', 'subject, description and priority') },

  // README: The API, the error table
  { source: 'README The API', title: '400 for an Idempotency-Key over 255 characters', method: 'POST', path: '/api/v1/tickets', body: OLD_TICKET, headers: { 'idempotency-key': 'k'.repeat(256) }, status: 400, answer: { error: 'bad_request' } },
  { source: 'README The API', title: '400 for a bad session header', method: 'GET', path: '/api/v1/tickets', headers: { 'x-mock-session': 'no spaces!' }, status: 400, answer: { error: 'bad_request' } },
  { source: 'README The API', title: '431 headers_too_large', method: 'GET', path: '/api/v1/tickets', headers: { 'x-padding': 'x'.repeat(20_000) }, status: 431, exact: { error: 'headers_too_large', message: 'Request headers too large' } },
  { source: 'README The API', title: '502 bad_gateway (scripted)', method: 'GET', path: '/api/v1/tickets', headers: { 'x-mock-scenario': 'doc-faults', 'x-doc-status': '502' }, status: 502, answer: { error: 'bad_gateway' } },
  { source: 'README The API', title: '504 gateway_timeout (scripted)', method: 'GET', path: '/api/v1/tickets', headers: { 'x-mock-scenario': 'doc-faults', 'x-doc-status': '504' }, status: 504, answer: { error: 'gateway_timeout' } },
  { source: 'README The API', title: '507 insufficient_storage when a session holds --max-records', server: 'small', method: 'POST', path: '/api/v1/tickets', body: OLD_TICKET, status: 507, answer: { error: 'insufficient_storage' } },
  { source: 'README The API', title: 'a replay carries the first answer\'s headers', setup: [{ method: 'DELETE', path: '/api/v1/tickets/1001', headers: { 'idempotency-key': 'idem_405' } }], method: 'DELETE', path: '/api/v1/tickets/1001', headers: { 'idempotency-key': 'idem_405' }, status: 405, answerHeaders: { allow: /GET/, 'idempotent-replayed': 'true' } },
  { source: 'README Test API keys', title: 'paths outside /api are 404', method: 'GET', path: '/foo', status: 404, answer: { error: 'not_found' } }
]
