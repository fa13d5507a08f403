// The bench cases: which request autocannon sends, which scenario the mock loads, what answers to expect.

import { alternating429, otherResourceRules, sameResourceRules } from './scenarios.mjs'

export const API_KEY = 'ak_live_mock_full_access_0001'
export const TICKET_PATH = '/api/v1/tickets/1001'
export const CREATE_PATH = '/api/v1/tickets'
export const CREATE_BODY = '{"subject":"s","description":"d"}'

const GET_TICKET = { method: 'GET', path: TICKET_PATH, headers: { 'x-api-key': API_KEY } }
const CREATE_TICKET = { method: 'POST', path: CREATE_PATH, headers: { 'x-api-key': API_KEY, 'content-type': 'application/json' }, body: CREATE_BODY }

/**
 * `scenario` returns YAML (or undefined: the embedded default, no rules). `uniqueKeys` gives every
 * request its own Idempotency-Key (autocannon's setupRequest), `rotateSessionEvery` a new
 * X-Mock-Session every N requests; `optional` cases run only when named.
 */
export const CASES = [
  { id: 'get', label: 'GET ticket, auth, no scenario', request: GET_TICKET, expect: ['200'] },
  { id: 'get-20-rules', label: 'GET ticket, 20 rules (none fire)', request: GET_TICKET, expect: ['200'], scenario: () => otherResourceRules(20) },
  { id: 'get-429-every-other', label: 'GET ticket, 429 every other', request: GET_TICKET, expect: ['200', '429'], scenario: alternating429 },
  // A new session every 5,000 creates: half the mock's default cap of records per session.
  { id: 'post-idempotency', label: 'POST ticket, new Idempotency-Key each', request: CREATE_TICKET, uniqueKeys: true, rotateSessionEvery: 5000, expect: ['201'] },
  // The shared store: the mock on a redis-server of the same machine (pinned to the server's core).
  { id: 'get-20-rules-redis', label: 'GET ticket, 20 rules, Redis store', request: GET_TICKET, expect: ['200'], scenario: () => otherResourceRules(20), store: 'redis' },
  { id: 'get-1000-rules', label: 'GET ticket, 1,000 rules (none fire)', request: GET_TICKET, expect: ['200'], scenario: () => otherResourceRules(1000) },
  {
    id: 'post-idempotency-replay',
    label: 'POST ticket, one Idempotency-Key (replays)',
    request: { ...CREATE_TICKET, headers: { ...CREATE_TICKET.headers, 'idempotency-key': 'bench-replay' } },
    // The first 50 concurrent requests race for the key: one creates, the others get 409 in-flight.
    expect: ['201', '409'],
    optional: true
  },
  { id: 'get-1000-same-resource', label: 'GET ticket, 1,000 rules on /tickets/r{i}', request: GET_TICKET, expect: ['200'], scenario: () => sameResourceRules(1000), optional: true }
]

/** The cases named in `ids` (comma-separated; "all" for every case), or the default set. */
export function selectCases (ids) {
  if (ids === undefined) return CASES.filter((c) => c.optional !== true)
  if (ids === 'all') return CASES
  const wanted = ids.split(',').map((s) => s.trim()).filter(Boolean)
  const unknown = wanted.filter((id) => !CASES.some((c) => c.id === id))
  if (unknown.length > 0) throw new Error(`unknown case(s): ${unknown.join(', ')}; known: ${CASES.map((c) => c.id).join(', ')}`)
  return CASES.filter((c) => wanted.includes(c.id))
}
