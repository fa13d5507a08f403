// The key, scope and denied-path checks see exactly the path the router dispatches: every written
// form of a request gets the verdict of its plain form, or is refused, and never creates state.

import t from 'tap'
import { sendRaw } from '../fuzz/raw-http.js'
import { FULL, READ_ONLY, TICKETS_ONLY, call, serve } from '../helpers.js'

interface Route { method: string; path: string; body?: unknown }

// One route of each scope, the denied paths, and a path outside /api/v1.
const ROUTES: Route[] = [
  { method: 'GET', path: '/api/v1/tickets' },
  { method: 'GET', path: '/api/v1/tickets/1001' },
  { method: 'POST', path: '/api/v1/tickets', body: { subject: 's', description: 'd' } },
  { method: 'PUT', path: '/api/v1/tickets/1002', body: { priority: 'low' } },
  { method: 'GET', path: '/api/v1/kb/articles' },
  { method: 'POST', path: '/api/v1/kb/articles', body: { title: 't', content: 'c' } },
  { method: 'GET', path: '/api/v1/users' },
  { method: 'GET', path: '/api/v1/webhooks' },
  { method: 'GET', path: '/api/v1/calls' },
  { method: 'GET', path: '/api/v1/usage/summary' },
  { method: 'GET', path: '/api/v1/configuration/general' },
  { method: 'PUT', path: '/api/v1/configuration/general', body: { company_name: 'x' } },
  { method: 'GET', path: '/api/v1/super-admin/tenants' },
  { method: 'GET', path: '/api/configuration/api-keys' },
  { method: 'POST', path: '/api/sync/run', body: {} }
]
const KEYS: Array<string | undefined> = [undefined, FULL, READ_ONLY, TICKETS_ONLY]

const UNRESERVED = /[A-Za-z0-9\-._~]/
const hex = (c: string, upper: boolean): string => {
  const h = c.charCodeAt(0).toString(16).padStart(2, '0')
  return `%${upper ? h.toUpperCase() : h}`
}

/** Forms the router reads as the plain path: they must get exactly its verdict. */
function equivalentForms (path: string): Record<string, string> {
  const chars = [...path]
  // The first character of each class (lower, upper-case letter, digit, '-', '.', '_', '~') percent-encoded.
  const encodeFirst = (re: RegExp, upper: boolean): string => {
    const i = chars.findIndex((c, j) => j > 0 && re.test(c))
    return i === -1 ? path : chars.map((c, j) => (j === i ? hex(c, upper) : c)).join('')
  }
  return {
    'percent-encoded lower-case letter': encodeFirst(/[a-z]/, false),
    'percent-encoded letter, upper-case hex': encodeFirst(/[a-z]/, true),
    'percent-encoded first letter after /api': path.replace(/^\/a/, '/%61'),
    'percent-encoded resource letter': path.replace(/^(\/api\/(?:v1\/)?)(\w)/, (_m, p: string, c: string) => `${p}${hex(c, false)}`),
    'percent-encoded digit': encodeFirst(/[0-9]/, false),
    'percent-encoded hyphen': encodeFirst(/-/, true),
    'every unreserved character percent-encoded': chars.map((c) => (c !== '/' && UNRESERVED.test(c) ? hex(c, true) : c)).join(''),
    'absolute-form': `http://mock.example${path}`,
    'absolute-form, upper-case scheme and a port': `HTTP://MOCK.EXAMPLE:4010${path}`,
    'trailing slash': `${path}/`,
    'empty query': `${path}?`
  }
}

/** Forms the router does not read as the plain path: refused or unknown, never further than the plain form. */
function otherForms (path: string): Record<string, string> {
  const cut = path.lastIndexOf('/')
  return {
    'double slash': path.replace('/v1/', '/v1//').replace('/api/', '//api/'.slice(1)),
    'dot segment': `${path.slice(0, cut)}/.${path.slice(cut)}`,
    'dot-dot segment': `${path.slice(0, cut)}/x/..${path.slice(cut)}`,
    'encoded dot-dot segment': `${path.slice(0, cut)}/x/%2e%2e${path.slice(cut)}`,
    'encoded slash': `${path.slice(0, cut)}%2F${path.slice(cut + 1)}`,
    ';params': `${path};a=1`,
    'double percent-encoding': path.replace(/^(\/api\/(?:v1\/)?)(\w)/, (_m, p: string, c: string) => `${p}%25${hex(c, false).slice(1)}`),
    'overlong UTF-8 encoding': path.replace(/^(\/api\/(?:v1\/)?)(\w)/, (_m, p: string) => `${p}%C1%B4`),
    'upper-case path': path.toUpperCase()
  }
}

/** A target behind a session prefix: after the authority of an absolute-form one. */
function behind (prefix: string, target: string): string {
  return target.startsWith('/') ? `${prefix}${target}` : target.replace(/^([A-Za-z]+:\/\/[^/]+)/, `$1${prefix}`)
}

/** The ways of writing the prefix of session `forms` that the router reads as `/s/forms/`. */
const PREFIXES: Record<string, string> = {
  'session prefix': '/s/forms',
  'session prefix, encoded s': '/%73/forms',
  'session prefix, encoded id': '/s/%66orm%73'
}

/** Session prefixes that are refused (400) whatever follows them. */
const BAD_PREFIXES: Record<string, string> = {
  'empty id': '/s/',
  'dot id': '/s/.',
  'dot-dot id': '/s/..',
  'encoded dot-dot id': '/s/%2e%2e',
  'encoded slash in the id': '/s/a%2Fb',
  'encoded NUL in the id': '/s/a%00',
  'encoded space in the id': '/s/a%20b',
  'encoded # in the id': '/s/a%23b',
  ';params in the id': '/s/a;x=1',
  'malformed escape': '/s/%zz',
  'double-encoded id': '/s/%2566orms',
  'non-ASCII id': '/s/%C3%BC',
  'id of 129 characters': `/s/${'x'.repeat(129)}`
}

async function verdict (port: number, route: Route, target: string, key: string | undefined, session: string | undefined, extra: string[] = []): Promise<number> {
  const body = route.body === undefined ? '' : JSON.stringify(route.body)
  const head = [
    `${route.method} ${target} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close', ...(session === undefined ? [] : [`X-Mock-Session: ${session}`]), ...extra,
    ...(key === undefined ? [] : [`X-API-Key: ${key}`]),
    ...(body === '' ? [] : ['Content-Type: application/json', `Content-Length: ${Buffer.byteLength(body)}`])
  ]
  const exchange = await sendRaw(port, Buffer.from(`${head.join('\r\n')}\r\n\r\n${body}`), { method: route.method })
  const status = exchange.responses[0]?.status
  if (status === undefined) throw new Error(`no answer to ${route.method} ${target}`)
  return status
}

t.test('every written form of a path gets the verdict of its plain form, for every route and key', async (t) => {
  const server = await serve(t)
  let checked = 0
  for (const route of ROUTES) {
    for (const key of KEYS) {
      const plain = await verdict(server.port, route, route.path, key, 'plain')
      for (const [form, target] of Object.entries(equivalentForms(route.path))) {
        const got = await verdict(server.port, route, target, key, 'forms')
        if (got !== plain) t.fail(`${route.method} ${target} (${form}) with ${key ?? 'no key'}: ${got}, plain form ${plain}`)
        checked++
      }
    }
  }
  t.ok(checked > 500, `${checked} forms checked`)
})

t.test('forms the router does not read as the plain path never get further than it', async (t) => {
  const server = await serve(t)
  let checked = 0
  for (const route of ROUTES) {
    for (const key of KEYS) {
      const plain = await verdict(server.port, route, route.path, key, 'plain')
      for (const [form, target] of Object.entries(otherForms(route.path))) {
        const got = await verdict(server.port, route, target, key, 'forms')
        const what = `${route.method} ${target} (${form}) with ${key ?? 'no key'}: ${got}, plain form ${plain}`
        if (got < 400) t.fail(`succeeded: ${what}`)
        // Refused as written (400), judged as the plain form is, no such route (404/405), or no such value (422).
        else if (![400, plain, 404, 405, 422].includes(got)) t.fail(what)
        else if (plain === 401 && got !== 401 && got !== 400 && !(got === 404 && form === 'upper-case path')) t.fail(`key check skipped: ${what}`)
        checked++
      }
    }
  }
  t.ok(checked > 400, `${checked} forms checked`)
})

t.test('the reproductions from the report, one by one', async (t) => {
  const server = await serve(t)
  const raw = (method: string, target: string, key?: string, body?: unknown) => verdict(server.port, { method, path: target, ...(body === undefined ? {} : { body }) }, target, key, 'repro')
  t.equal(await raw('GET', '/%61pi/v1/configuration/general'), 401, 'no key, encoded /api: 401')
  t.equal(await raw('POST', '/%61pi/v1/tickets', undefined, { subject: 's', description: 'd' }), 401)
  t.equal(await raw('POST', '/api/v1/%74ickets', READ_ONLY, { subject: 's', description: 'd' }), 403, 'read-only key cannot write through an encoded path')
  t.equal(await raw('PUT', '/api/v1/%63onfiguration/general', READ_ONLY, { company_name: 'x' }), 403)
  t.equal(await raw('GET', '/api/v1/%75sers', TICKETS_ONLY), 403, 'tickets-only key cannot read users')
  t.equal(await raw('GET', 'http://x/api/v1/users'), 401, 'absolute-form with no key: 401')
  t.equal(await raw('GET', '/api/v1/%73uper-admin/tenants', FULL), 403, 'denied paths stay denied when encoded')
})

t.test('requests refused by the key or scope check create no session and no journal entry', async (t) => {
  const server = await serve(t)
  for (let i = 0; i < 20; i++) {
    await verdict(server.port, ROUTES[0]!, '/%61pi/v1/tickets', undefined, `probe-${i}`)
    await verdict(server.port, ROUTES[6]!, ROUTES[6]!.path, TICKETS_ONLY, `scoped-${i}`)
  }
  t.same((await call(server, 'GET', '/__mock/sessions', { key: null })).body.sessions, [], 'no session was made')
  const rejected = (await call(server, 'GET', '/__mock/rejected', { key: null })).body
  t.equal(rejected.total, 40, 'each refusal is counted')
  t.same(rejected.byStatus, { 401: 20, 403: 20 })
  t.ok(rejected.recent.length <= 20, 'only the latest are kept')
})

t.test('behind a /s/<session>/ prefix, every written form of a path gets the verdict of its plain form', async (t) => {
  const server = await serve(t)
  let checked = 0
  for (const route of ROUTES) {
    for (const key of KEYS) {
      const plain = await verdict(server.port, route, route.path, key, 'plain')
      // Every form of the path behind the plain prefix; the plain path behind the prefix's other forms.
      const forms = { plain: route.path, ...equivalentForms(route.path) }
      for (const [prefixForm, prefix] of Object.entries(PREFIXES)) {
        for (const [form, target] of Object.entries(prefix === '/s/forms' ? forms : { plain: route.path })) {
          const prefixed = behind(prefix, target)
          const got = await verdict(server.port, route, prefixed, key, undefined)
          if (got !== plain) t.fail(`${route.method} ${prefixed} (${prefixForm}, ${form}) with ${key ?? 'no key'}: ${got}, plain form ${plain}`)
          checked++
        }
      }
      const whole = equivalentForms(`/s/forms${route.path}`)['every unreserved character percent-encoded']!
      const got = await verdict(server.port, route, whole, key, undefined)
      if (got !== plain) t.fail(`${route.method} ${whole} with ${key ?? 'no key'}: ${got}, plain form ${plain}`)
    }
  }
  t.ok(checked > 800, `${checked} forms checked`)
  const sessions = (await call(server, 'GET', '/__mock/sessions', { key: null })).body.sessions as string[]
  t.same(sessions.sort(), ['forms', 'plain'], 'every prefixed request that got a session got `forms`')
})

t.test('behind a /s/<session>/ prefix, forms the router does not read as the plain path never get further than it', async (t) => {
  const server = await serve(t)
  let checked = 0
  for (const route of ROUTES) {
    for (const key of KEYS) {
      const plain = await verdict(server.port, route, route.path, key, 'plain')
      const bare: Record<string, number> = {}
      for (const [form, target] of Object.entries(otherForms(route.path))) {
        bare[form] = await verdict(server.port, route, target, key, 'bare')
        const got = await verdict(server.port, route, behind('/s/forms', target), key, undefined)
        if (got !== bare[form]) t.fail(`${route.method} /s/forms${target} (${form}) with ${key ?? 'no key'}: ${got}, without the prefix ${bare[form]} (plain ${plain})`)
        checked++
      }
    }
  }
  t.ok(checked > 400, `${checked} forms checked`)
})

t.test('a bad session prefix is refused with 400 for every route and key, and creates nothing', async (t) => {
  const server = await serve(t)
  for (const route of ROUTES) {
    for (const key of KEYS) {
      for (const [form, prefix] of Object.entries(BAD_PREFIXES)) {
        const got = await verdict(server.port, route, `${prefix}${route.path}`, key, undefined)
        if (got !== 400) t.fail(`${route.method} ${prefix}${route.path} (${form}) with ${key ?? 'no key'}: ${got}, not 400`)
      }
    }
  }
  const res = await call(server, 'GET', '/s/a%2Fb/api/v1/tickets')
  t.equal(res.status, 400)
  t.same(res.body, { error: 'bad_request', message: 'The session in the URL (/s/<session>/...) must be 1-128 letters, digits or ._:@-' }, 'in the Aurion format')
  t.same((await call(server, 'GET', '/__mock/sessions', { key: null })).body.sessions, [], 'no session was made')
})

t.test('the URL and X-Mock-Session must name the same session; other look-alikes are no prefix', async (t) => {
  const server = await serve(t)
  const tickets = ROUTES[0]!
  t.equal(await verdict(server.port, tickets, '/s/a/api/v1/tickets', FULL, 'b'), 400, 'disagreeing header: 400')
  t.equal(await verdict(server.port, tickets, '/s/a/api/v1/tickets', undefined, 'b'), 401, 'no key: the key check comes first')
  t.equal(await verdict(server.port, tickets, '/s/a/api/v1/tickets', FULL, 'a'), 200, 'agreeing header: served')
  t.equal(await verdict(server.port, tickets, '/s/a/api/v1/tickets', FULL, undefined, ['X-Mock-Session: a', 'X-Mock-Session: b']), 400, 'two header values (read as "a, b") disagree')
  t.equal(await verdict(server.port, tickets, '/S/a/api/v1/tickets', FULL, undefined), 404, 'upper-case S is no prefix')
  t.equal(await verdict(server.port, tickets, '/s/a/s/b/api/v1/tickets', FULL, undefined), 404, 'one prefix is cut, not two')
  t.equal(await verdict(server.port, tickets, '/s/a/%2e%2e/api/v1/tickets', FULL, undefined), await verdict(server.port, tickets, '/%2e%2e/api/v1/tickets', FULL, 'a'), 'a dot-dot segment after the prefix: as without it')
  t.equal(await verdict(server.port, tickets, '/x/s/a/api/v1/tickets', FULL, undefined), 404, 'the prefix only counts first')
  t.same(((await call(server, 'GET', '/__mock/sessions', { key: null })).body.sessions as string[]).sort(), ['a'], 'only the served requests made a session')
})
