// What each client run does: a few requests per bundled scenario that meet its faults, and a
// probe that shows what a retry library does by default. Steps are data, so the Python client
// runs exactly the same requests as the Node ones.

const ticket = (subject, extra = {}) => ({ method: 'POST', path: '/api/v1/tickets', body: { subject, description: 'Measured by scripts/retry-libraries.mjs', ...extra } })
const get = (path) => ({ method: 'GET', path })
const pause = (ms) => ({ pauseMs: ms })

/**
 * Requests per bundled scenario. Every request differs from the others (path or body), so the
 * mock never takes a new request for a retry of an earlier one.
 */
export const SCENARIO_WORKLOADS = {
  default: [get('/api/v1/tickets?limit=5'), ticket('Default scenario')],
  'flapping-5xx': [get('/api/v1/tickets/1001'), pause(4_300), get('/api/v1/tickets/1002')],
  'idempotency-conflicts': [ticket('Conflict first'), ticket('Conflict second')],
  'lost-response': [ticket('Lost answer, 503'), ticket('Lost answer, reset')],
  maintenance: [get('/api/v1/tickets?limit=5')],
  'rate-limit-burst': [1, 2, 3, 4, 5, 6].map((n) => ticket(`Burst ${n}`)),
  'seeded-chaos': [
    get('/api/v1/tickets/1001'), get('/api/v1/users?limit=5'), ticket('Chaos 1'), get('/api/v1/kb/articles?limit=5'),
    get('/api/v1/tickets/1002'), ticket('Chaos 2'), get('/api/v1/calls?limit=5'), get('/api/v1/tickets?limit=5')
  ],
  'slow-network': [...[1001, 1002, 1003, 1004, 1005].map((id) => get(`/api/v1/tickets/${id}`)), get('/api/v1/kb/articles/101')],
  'validation-422': [ticket('Urgent', { priority: 'urgent' }), ticket('Not urgent', { priority: 'low' })]
}

/** The probe: each request meets one kind of failure, then works. */
export const PROBE_SCENARIO = {
  version: 1,
  name: 'retry-library-probe',
  description: 'What a retry library does by default: 503s, dropped connections, a 429, a 422 and a failed POST, each followed by success.',
  expect: { jitter: false },
  rules: [
    { name: 'five-oh-three', match: { method: 'GET', path: '/api/v1/tickets/1001' }, sequence: [{ times: 4, status: 503 }, 'pass'] },
    { name: 'dropped', match: { method: 'GET', path: '/api/v1/tickets/1002' }, sequence: [{ times: 2, fault: 'reset' }, 'pass'] },
    { name: 'rate-limited', match: { method: 'GET', path: '/api/v1/users' }, sequence: [{ status: 429, retryAfter: 3 }, 'pass'] },
    { name: 'refused', match: { method: 'GET', path: '/api/v1/tickets/1003' }, sequence: [{ status: 422, message: 'Scripted refusal' }, 'pass'] },
    { name: 'create-503', match: { method: 'POST', path: '/api/v1/tickets' }, sequence: [{ status: 503 }, 'pass'] },
    { name: 'calls-503', match: { method: 'GET', path: '/api/v1/calls' }, repeat: true, sequence: [{ status: 503 }, 'pass'] }
  ]
}

/** What each probe request tells, in the order of PROBE_WORKLOAD. */
export const PROBE_WORKLOAD = [
  { ...get('/api/v1/tickets/1001'), probe: '503' },
  { ...get('/api/v1/tickets/1002'), probe: 'dropped connection' },
  { ...get('/api/v1/users?limit=5'), probe: '429' },
  { ...get('/api/v1/tickets/1003'), probe: '422' },
  { ...ticket('Probe create'), probe: 'POST 503' },
  ...[1, 2, 3].map((n) => ({ ...get(`/api/v1/calls?limit=1&offset=${n}`), probe: 'GET 503' }))
]
