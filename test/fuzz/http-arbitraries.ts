// fast-check arbitraries of raw HTTP/1.x requests to the mock: well-formed ones (anything Node's
// parser accepts: odd methods, paths, queries, headers, bodies, content types, invalid UTF-8) and
// protocol garbage (bad framing, bad tokens, control bytes, truncated input).

import fc from 'fast-check'

export const FULL_KEY = 'ak_live_mock_full_access_0001'
const KEYS = [FULL_KEY, 'ak_live_mock_read_only_0002', 'ak_live_mock_tickets_only_0003']

export interface GeneratedRequest {
  method: string
  target: string
  version: string
  /** Header lines as raw bytes (latin1), in order, without CRLF. */
  headers: Buffer[]
  body: Buffer
  framing: Framing
  /** The request is incomplete on purpose (the client half-closes; the server cannot wait for the rest). */
  incomplete: boolean
}

export type Framing = 'length' | 'none' | 'chunked' | 'length-short' | 'length-long' | 'length-bad' | 'length-twice' | 'chunked-and-length' | 'chunked-bad' | 'chunked-unterminated'

const latin1 = (s: string): Buffer => Buffer.from(s, 'latin1')

/** How fast-check prints a request in a failure report: its bytes as text, not a Buffer dump. */
function printable<T extends object> (value: T, bytes: () => Buffer): T {
  const text = (): string => {
    const b = bytes()
    const shown = b.subarray(0, 600).toString('latin1')
    return `${JSON.stringify(shown)}${b.length > 600 ? ` (+${b.length - 600} more bytes)` : ''}`
  }
  return Object.defineProperty(value, fc.toStringMethod, { value: text, enumerable: false })
}

// ---------------------------------------------------------------------------------------------
// Pieces

const WELL_FORMED_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const
/** Methods Node's parser knows but the API does not use. */
const ODD_METHODS = ['TRACE', 'PROPFIND', 'PROPPATCH', 'MKCOL', 'COPY', 'MOVE', 'LOCK', 'UNLOCK', 'SEARCH', 'PURGE', 'M-SEARCH', 'NOTIFY', 'SUBSCRIBE', 'UNSUBSCRIBE', 'LINK', 'UNLINK', 'REPORT', 'MERGE', 'ACL', 'BIND', 'REBIND', 'MKCALENDAR', 'QUERY'] as const

export const method = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(...WELL_FORMED_METHODS) },
  { weight: 2, arbitrary: fc.constantFrom(...ODD_METHODS) }
)

/** Methods that are not tokens Node knows: lower case, made up, with spaces or control bytes. */
const garbageMethod = fc.oneof(
  fc.constantFrom('get', 'Post', 'FOO', 'G', '', 'GET GET', 'GE\x00T', 'CONNECT', 'PRI', '\xff\xfe', 'HTTP/1.1', '-', '*'),
  fc.string({ maxLength: 10, unit: 'binary-ascii' })
)

const ROUTES = [
  '/api/v1/tickets', '/api/v1/tickets/1001', '/api/v1/tickets/1060', '/api/v1/tickets/{id}', '/api/v1/tickets/{id}/notes', '/api/v1/tickets/1001/notes',
  '/api/v1/tickets/1001/close', '/api/v1/tickets/{id}/close', '/api/v1/kb/articles', '/api/v1/kb/articles/{id}', '/api/v1/kb/articles/101', '/api/v1/users',
  '/api/v1/users/{id}', '/api/v1/users/42', '/api/v1/webhooks', '/api/v1/webhooks/{id}', '/api/v1/calls', '/api/v1/calls/{id}', '/api/v1/usage/summary',
  '/api/v1/usage/details', '/api/v1/configuration/general', '/api/v1/configuration/{id}', '/api/v1/super-admin/{id}', '/api/configuration/api-keys',
  '/api/sync/{id}', '/api/v2/kb', '/api', '/api/', '/api/v1', '/', '/favicon.ico', '/{id}',
  '/__mock/health', '/__mock/scenarios', '/__mock/sessions', '/__mock/journal', '/__mock/keys', '/__mock/report', '/__mock/report.html',
  '/__mock/report.xml', '/__mock/reset', '/__mock/scenarios/activate', '/__mock', '/__mock/{id}', '/__mockery'
] as const

/** Path segments a client might send: ids of every kind, encodings valid and not. */
const segment = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('1001', '1', '0', '-1', '999999', '99999999999999999999999', '1e3', '0x10', '1001.5', 'wh_abc123', 'call_abc123', 'null', 'undefined', '__proto__', 'constructor') },
  { weight: 2, arbitrary: fc.stringMatching(/^[A-Za-z0-9._~-]{1,12}$/) },
  { weight: 2, arbitrary: fc.constantFrom('%20', '%2F', '%00', '%ff', '%C0%AF', '%E2%82%AC', '%zz', '%', '%%', '..', '.', '%2e%2e', ';x=1', '\xe9', '\xff\xfe', 'caf\xc3\xa9') },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 700 }).map((n) => '9'.repeat(n)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 8, unit: 'binary-ascii' }).map((s) => encodeURIComponent(s)) }
)

const QUERY_NAMES = ['limit', 'offset', 'status', 'priority', 'category', 'search', 'session', 'sort_by', 'sort_order', 'group_by', 'start_date', 'end_date', 'event_type', 'role', 'is_active', 'q', '__proto__', 'limit[]', 'a[b][c]'] as const
const queryValue = fc.oneof(
  fc.constantFrom('', '1', '0', '-1', '25', '100', '101', '1e2', '1.5', 'NaN', 'Infinity', '99999999999999999999', 'true', 'open', 'high', 'day', 'asc', 'started_at', '2026-01-01', '2026-13-45', '%ff', '%zz', '%00', 'a%20b', '\xe9'),
  fc.stringMatching(/^[A-Za-z0-9._~-]{0,12}$/)
)
const query = fc.oneof(
  { weight: 3, arbitrary: fc.constant('') },
  { weight: 3, arbitrary: fc.array(fc.tuple(fc.constantFrom(...QUERY_NAMES), queryValue), { minLength: 1, maxLength: 4 }).map((pairs) => `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}`) },
  { weight: 1, arbitrary: fc.constantFrom('?', '??', '?&&', '?=', '?limit', '?limit==1', '?#frag', '#frag') }
)

export const target = fc.oneof(
  { weight: 10, arbitrary: fc.tuple(fc.constantFrom(...ROUTES), segment, query, fc.constantFrom('', '', '', '/', '//', '/x')).map(([route, id, q, tail]) => `${route.replace('{id}', id)}${tail === '' ? '' : tail}${q}`) },
  { weight: 1, arbitrary: fc.tuple(fc.array(segment, { maxLength: 5 }), query).map(([segments, q]) => `/${segments.join('/')}${q}`) },
  { weight: 1, arbitrary: fc.constantFrom('*', 'http://127.0.0.1/api/v1/tickets', 'http://evil.example/__mock/health', '//api/v1/tickets', '/api/v1/tickets?' + 'a=1&'.repeat(500)) }
)

const sessionId = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 12 }).map((n) => `fuzz-${n}`) },
  { weight: 2, arbitrary: fc.stringMatching(/^[A-Za-z0-9._:@-]{1,40}$/) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', 'a b', 'x'.repeat(129), 'x'.repeat(128), '../x', 'sess\xe9', '\xff', 'default', '__proto__', 'constructor', 'a,b') }
)

const idempotencyKey = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 6 }).map((n) => `idem-${n}`) },
  { weight: 2, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 300 }).map((n) => 'k'.repeat(n)) },
  { weight: 1, arbitrary: fc.constantFrom(' ', '\xe9\xe9', '\xff\xfe', 'a\tb') }
)

const contentType = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON', 'application/json;charset=UTF-8') },
  { weight: 3, arbitrary: fc.constantFrom('application/json; charset=utf-16', 'application/json; charset=latin1', 'application/vnd.api+json', 'application/problem+json', 'application/yaml', 'text/yaml', 'text/plain', 'text/html', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=xyz', 'multipart/form-data', 'application/octet-stream', 'application/json, text/plain', '', ';', 'json', 'application/', '*/*', 'application/json; boundary="x') },
  { weight: 1, arbitrary: fc.stringMatching(/^[a-z]{1,8}\/[a-z+.-]{1,12}$/) }
)

/** A header value of any allowed bytes (tab, printable ASCII, and obs-text: bytes 0x80-0xff, invalid UTF-8 included). */
function headerText (maxLength: number): fc.Arbitrary<string> {
  return fc.string({ maxLength, unit: fc.oneof({ weight: 10, arbitrary: fc.integer({ min: 0x20, max: 0x7e }) }, { weight: 1, arbitrary: fc.constant(0x09) }, { weight: 2, arbitrary: fc.integer({ min: 0x80, max: 0xff }) }).map((c) => String.fromCharCode(c)) })
    .map((s) => s.trim())
}

const longValue = fc.integer({ min: 1000, max: 20_000 }).map((n) => 'v'.repeat(n))

const extraHeader: fc.Arbitrary<[string, string]> = fc.oneof(
  fc.tuple(fc.constantFrom('accept', 'accept-encoding', 'user-agent', 'x-request-id', 'authorization', 'cookie', 'origin', 'referer', 'x-forwarded-for', 'if-none-match', 'range', 'prefer', 'accept-version', 'te', 'upgrade'), headerText(40)),
  fc.tuple(fc.stringMatching(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,20}$/), headerText(60)),
  fc.tuple(fc.constantFrom('x-long', 'x-api-key', 'x-mock-session', 'idempotency-key', 'cookie'), longValue)
)

// ---------------------------------------------------------------------------------------------
// Bodies

const ticketLike = fc.record({
  subject: fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('', 'x'.repeat(256)), fc.integer(), fc.constant(null)),
  description: fc.oneof(fc.string({ maxLength: 60, unit: 'grapheme' }), fc.constant(null), fc.boolean()),
  priority: fc.oneof(fc.constantFrom('low', 'medium', 'high', 'urgent', 'critical', ''), fc.integer()),
  category: fc.string({ maxLength: 20 }),
  status: fc.constantFrom('open', 'closed', 'pending', 'resolved', 'nope'),
  body: fc.string({ maxLength: 40 }),
  url: fc.constantFrom('https://example.com/hook', 'http://x', 'not a url', ''),
  events: fc.array(fc.constantFrom('ticket.created', 'ticket.updated', 'nope'), { maxLength: 3 }),
  name: fc.string({ maxLength: 20 }),
  version: fc.constantFrom(1, 2, '1'),
  rules: fc.constant([])
}, { requiredKeys: [] })

const jsonBody = fc.oneof(
  { weight: 4, arbitrary: ticketLike.map((v) => JSON.stringify(v)) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 2000 }).map((n) => '['.repeat(n) + ']'.repeat(n)) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 2000 }).map((n) => '{"a":'.repeat(n) + '1' + '}'.repeat(n)) }
)

export const body: fc.Arbitrary<Buffer> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(Buffer.alloc(0)) },
  { weight: 8, arbitrary: jsonBody.map((s) => Buffer.from(s)) },
  // JSON with invalid UTF-8 inside a string, truncated JSON, YAML, form data, bytes.
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 8 }).map((junk) => Buffer.concat([Buffer.from('{"subject":"'), Buffer.from(junk.map((b) => b | 0x80)), Buffer.from('","description":"d"}')])) },
  { weight: 1, arbitrary: jsonBody.chain((s) => fc.nat({ max: Math.max(0, s.length - 1) }).map((n) => Buffer.from(s.slice(0, n)))) },
  { weight: 1, arbitrary: fc.constantFrom('version: 1\nname: x\nrules: []\n', 'version: 1\nname: [\n', 'a=1&b=2', '--xyz\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--xyz--', 'null', 'true', '"str"', '1e999', '-0', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{"x":1}}}', '\uFEFF{}', '{"a":1,"a":2}').map((s) => Buffer.from(s)) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)) },
  { weight: 1, arbitrary: fc.integer({ min: 10_000, max: 40_000 }).map((n) => Buffer.from(JSON.stringify({ subject: 's', description: 'd'.repeat(n) }))) }
)

// ---------------------------------------------------------------------------------------------
// Requests

interface Parts {
  method: string
  target: string
  version: string
  host: string | undefined
  key: string | undefined
  session: string | undefined
  scenario: string | undefined
  idempotency: string | undefined
  type: string | undefined
  connection: string | undefined
  extra: Array<[string, string]>
  body: Buffer
  framing: Framing
}

function assemble (p: Parts): GeneratedRequest {
  const headers: Buffer[] = []
  const add = (name: string, value: string | undefined): void => { if (value !== undefined) headers.push(latin1(`${name}: ${value}`)) }
  add('Host', p.host)
  add('X-API-Key', p.key)
  add('X-Mock-Session', p.session)
  add('X-Mock-Scenario', p.scenario)
  add('Idempotency-Key', p.idempotency)
  add('Content-Type', p.type)
  add('Connection', p.connection)
  for (const [name, value] of p.extra) add(name, value)
  let payload = p.body
  let incomplete = false
  switch (p.framing) {
    case 'length': add('Content-Length', String(payload.length)); break
    case 'none': payload = Buffer.alloc(0); break
    case 'chunked':
      add('Transfer-Encoding', 'chunked')
      payload = Buffer.concat([...(payload.length > 0 ? [latin1(`${payload.length.toString(16)}\r\n`), payload, latin1('\r\n')] : []), latin1('0\r\n\r\n')])
      break
    case 'length-short': add('Content-Length', String(Math.max(0, payload.length - 3))); break
    case 'length-long': add('Content-Length', String(payload.length + 5)); incomplete = true; break
    case 'length-bad': add('Content-Length', p.body.length % 3 === 0 ? '-1' : p.body.length % 3 === 1 ? 'abc' : '99999999999999999999'); break
    case 'length-twice': add('Content-Length', String(payload.length)); add('Content-Length', String(payload.length + 1)); break
    case 'chunked-and-length': add('Content-Length', String(payload.length)); add('Transfer-Encoding', 'chunked'); break
    case 'chunked-bad': add('Transfer-Encoding', 'chunked'); payload = Buffer.concat([latin1('zz\r\n'), payload, latin1('\r\n0\r\n\r\n')]); break
    case 'chunked-unterminated': add('Transfer-Encoding', 'chunked'); payload = Buffer.concat([latin1(`${(payload.length + 10).toString(16)}\r\n`), payload]); incomplete = true; break
  }
  const request: GeneratedRequest = { method: p.method, target: p.target, version: p.version, headers, body: payload, framing: p.framing, incomplete }
  return printable(request, () => requestBytes(request))
}

const common = {
  key: fc.oneof({ weight: 6, arbitrary: fc.constant(FULL_KEY) }, { weight: 2, arbitrary: fc.constantFrom(...KEYS) }, { weight: 2, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom('', 'ak_live_nope', FULL_KEY + ' ', FULL_KEY.toUpperCase(), 'ak_live_\xe9') }),
  session: fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, { weight: 5, arbitrary: sessionId }),
  scenario: fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 3, arbitrary: fc.constantFrom('default', 'fuzz-errors') }, { weight: 1, arbitrary: fc.constantFrom('', 'nope', 'seeded-chaos', '../etc/passwd', '\xe9') }),
  idempotency: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 2, arbitrary: idempotencyKey }),
  type: fc.oneof({ weight: 1, arbitrary: fc.constant(undefined) }, { weight: 4, arbitrary: contentType }),
  connection: fc.constantFrom(undefined, 'close', 'keep-alive', 'Upgrade', 'close, TE'),
  extra: fc.array(extraHeader, { maxLength: 3 }),
  body
}

/** Requests Node's parser accepts: known method tokens, a Host, consistent framing, valid header bytes. */
export const wellFormedRequest: fc.Arbitrary<GeneratedRequest> = fc.record({
  ...common,
  method,
  target,
  version: fc.constantFrom('HTTP/1.1', 'HTTP/1.1', 'HTTP/1.1', 'HTTP/1.0'),
  host: fc.constantFrom('127.0.0.1', 'localhost:4010', 'example.com', 'x'),
  framing: fc.constantFrom<Framing>('length', 'length', 'length', 'none', 'chunked')
}).map(assemble)

/** Well-formed requests that keep the connection open (HTTP/1.1, no Connection header): for pipelining. */
export const keepAliveRequest: fc.Arbitrary<GeneratedRequest> = wellFormedRequest.map((r) => {
  const request: GeneratedRequest = { ...r, version: 'HTTP/1.1', headers: r.headers.filter((h) => !/^connection:/i.test(h.toString('latin1'))) }
  return printable(request, () => requestBytes(request))
})

/** One way to break a well-formed request. */
type Breakage =
  | { kind: 'method'; value: string }
  | { kind: 'target'; value: string }
  | { kind: 'version'; value: string }
  | { kind: 'no-host' }
  | { kind: 'framing'; value: Framing }
  | { kind: 'line'; value: string }
  | { kind: 'eol'; value: string }
  | { kind: 'trailing'; value: Uint8Array }
  | { kind: 'byte'; at: number; value: number }
  | { kind: 'cut'; at: number }

const breakage: fc.Arbitrary<Breakage> = fc.oneof(
  garbageMethod.map((value) => ({ kind: 'method' as const, value })),
  fc.constantFrom('', ' ', '/a b', '/\x00', '/\x7f', 'api/v1/tickets', '/' + 'a'.repeat(20_000), '/api/v1/tickets/%', '/%zz', 'http://', 'http://[::1', '/api/v1/tickets\tx').map((value) => ({ kind: 'target' as const, value })),
  fc.constantFrom('HTTP/2.0', 'HTTP/0.9', 'HTTP/1.2', 'HTTP/1', 'http/1.1', '', 'HTTP/1.1 x', 'HTTP/11', 'HTTPS/1.1').map((value) => ({ kind: 'version' as const, value })),
  fc.constant({ kind: 'no-host' as const }),
  fc.constantFrom<Framing>('length-short', 'length-long', 'length-bad', 'length-twice', 'chunked-and-length', 'chunked-bad', 'chunked-unterminated').map((value) => ({ kind: 'framing' as const, value })),
  fc.constantFrom('NoColon', ' folded: continuation', '\tfolded', 'Bad Name: x', 'X-Ctl: a\x00b', 'X-Ctl: a\x7fb', 'X-Bare-CR: a\rb', ': empty-name', 'X-Empty:', 'Expect: 100-continue', 'Expect: bogus', 'Upgrade: websocket', 'Connection: upgrade', 'Transfer-Encoding: gzip, chunked', 'Transfer-Encoding: identity', 'Transfer-Encoding: chunked, chunked', 'Host: second.example', 'X-Unicode: \u00e9\u4e2d', 'X-API-Key: second').map((value) => ({ kind: 'line' as const, value })),
  fc.constantFrom('\n', '\r', '\n\r').map((value) => ({ kind: 'eol' as const, value })),
  fc.uint8Array({ minLength: 1, maxLength: 40 }).map((value) => ({ kind: 'trailing' as const, value })),
  fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })).map(([at, value]) => ({ kind: 'byte' as const, at, value })),
  fc.nat().map((at) => ({ kind: 'cut' as const, at }))
)

export interface GarbageRequest {
  /** For parsing the answer: the method as sent (HEAD answers have no body). */
  method: string
  bytes: Buffer
  /** The input ends early on purpose: the client half-closes instead of waiting. */
  incomplete: boolean
  breakages: Breakage[]
}

/** A well-formed request broken in one or two ways: garbage tokens, framing, stray bytes, missing Host. */
export const garbageRequest: fc.Arbitrary<GarbageRequest> = fc.tuple(
  fc.record({
    ...common,
    method,
    target,
    version: fc.constant('HTTP/1.1'),
    host: fc.constant<string | undefined>('127.0.0.1'),
    framing: fc.constantFrom<Framing>('length', 'none', 'chunked')
  }),
  fc.array(breakage, { minLength: 1, maxLength: 2 })
).map(([parts, breakages]) => {
  const p: Parts = { ...parts }
  let extraLines: string[] = []
  let eol = '\r\n'
  for (const b of breakages) {
    if (b.kind === 'method') p.method = b.value
    else if (b.kind === 'target') p.target = b.value
    else if (b.kind === 'version') p.version = b.value
    else if (b.kind === 'no-host') p.host = undefined
    else if (b.kind === 'framing') p.framing = b.value
    else if (b.kind === 'line') extraLines = [...extraLines, b.value]
    else if (b.kind === 'eol') eol = b.value
  }
  const request = assemble(p)
  const lines = [latin1(`${request.method} ${request.target} ${request.version}`), ...request.headers, ...extraLines.map((l) => Buffer.from(l, 'utf8'))]
  let bytes = Buffer.concat([...lines.flatMap((l) => [l, latin1(eol)]), latin1(eol), request.body])
  // An extra framing header can leave the server waiting for a body that never comes.
  let incomplete = request.incomplete || extraLines.some((l) => /^(transfer-encoding|content-length):/i.test(l))
  for (const b of breakages) {
    if (b.kind === 'trailing') bytes = Buffer.concat([bytes, Buffer.from(b.value)])
    else if (b.kind === 'byte' && bytes.length > 0) {
      bytes = Buffer.from(bytes)
      bytes[b.at % bytes.length] = b.value
    } else if (b.kind === 'cut' && bytes.length > 0) {
      bytes = bytes.subarray(0, b.at % bytes.length)
      incomplete = true
    }
  }
  // A changed method can make the framing unreadable; the server must cope whatever it thinks.
  const garbage: GarbageRequest = { method: request.method, bytes, incomplete: incomplete || breakages.some((b) => b.kind === 'byte'), breakages }
  return printable(garbage, () => bytes)
})

/** The bytes of a request as generated. */
export function requestBytes (request: GeneratedRequest): Buffer {
  const lines = [latin1(`${request.method} ${request.target} ${request.version}`), ...request.headers]
  return Buffer.concat([...lines.flatMap((l) => [l, latin1('\r\n')]), latin1('\r\n'), request.body])
}
