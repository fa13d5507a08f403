// The baseline: bare Fastify answering the mock's routes with fixed bytes, nothing else on the path.
// Usage: node bench/bare-server.mjs --port N --get-body FILE --post-body FILE [--rate-limit]
//   [--webhooks [--sender undici|http|raw] [--spin-us N]]
// (--rate-limit: @fastify/rate-limit with its own store and a limit never reached, to weigh the plugin alone)

import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import Fastify from 'fastify'

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'get-body': { type: 'string' },
    'post-body': { type: 'string' },
    'rate-limit': { type: 'boolean', default: false },
    webhooks: { type: 'boolean', default: false },
    'spin-us': { type: 'string', default: '0' },
    sender: { type: 'string', default: 'undici' }
  }
})

// Strings, so Fastify sends them as they are (no serialisation), with the mock's content type.
const getBody = values['get-body'] === undefined ? '{}' : readFileSync(values['get-body'], 'utf8')
const postBody = values['post-body'] === undefined ? '{}' : readFileSync(values['post-body'], 'utf8')
const JSON_TYPE = 'application/json; charset=utf-8'

const app = Fastify({ logger: false })
if (values['rate-limit']) await app.register((await import('@fastify/rate-limit')).default, { max: 100_000_000, timeWindow: 60_000 })
app.get('/__mock/health', async () => ({ status: 'ok' }))
// --spin-us N: each GET also keeps the CPU busy N µs, so bare Fastify runs at the mock's speed and
// the loader, not the server, stops being the limit (bench/webhooks.mjs --server bare).
const spinNs = BigInt(Math.round(Number(values['spin-us']) * 1000))
function spin () {
  const until = process.hrtime.bigint() + spinNs
  while (process.hrtime.bigint() < until);
}
app.get('/api/v1/tickets/:id', (_request, reply) => {
  if (spinNs > 0n) spin()
  reply.type(JSON_TYPE).send(getBody)
})
app.post('/api/v1/tickets', (_request, reply) => { reply.code(201).type(JSON_TYPE).send(postBody) })

if (values.webhooks) {
  // The least a delivery can be: the event signed and POSTed on keep-alive connections, its answer
  // read (and ignored). No queue, no journal, no retries: what bench/webhooks.mjs --server bare weighs the mock against.
  const { createHmac } = await import('node:crypto')
  const { Agent } = await import('undici')
  const agent = new Agent({ connections: 16 })
  // Status and body are ignored: the handler only has to be there (undici's dispatch API, as the mock's sender).
  const ignore = { onRequestStart () {}, onResponseStart () {}, onResponseData () {}, onResponseEnd () {}, onResponseError () {} }
  // --sender raw: below any HTTP client, the request's bytes written to one kept-open socket and the
  // answer's bytes read and dropped unparsed: what the kernel and the wakeups alone cost per event.
  const { connect } = await import('node:net')
  const sockets = new Map()
  function rawSend (hook, body, signature) {
    let socket = sockets.get(hook.origin)
    if (socket === undefined) {
      const { hostname, port } = new URL(hook.origin)
      socket = connect(Number(port), hostname)
      socket.on('data', () => {})
      socket.on('error', () => { sockets.delete(hook.origin) })
      sockets.set(hook.origin, socket)
    }
    socket.write(`POST ${hook.path} HTTP/1.1\r\nhost: ${hook.origin.slice(7)}\r\ncontent-type: application/json\r\nx-aurion-signature: ${signature}\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`)
  }
  // --sender http: Node's own http client on a keep-alive agent.
  const http = await import('node:http')
  const httpAgent = new http.Agent({ keepAlive: true, maxSockets: 16 })
  function httpSend (hook, body, signature) {
    const req = http.request(`${hook.origin}${hook.path}`, { method: 'POST', agent: httpAgent, headers: { 'content-type': 'application/json', 'x-aurion-signature': signature } }, (res) => { res.resume() })
    req.on('error', () => {})
    req.end(body)
  }
  const senders = {
    undici: (hook, body, signature) => agent.dispatch({ origin: hook.origin, path: hook.path, method: 'POST', headers: { 'content-type': 'application/json', 'x-aurion-signature': signature }, body }, ignore),
    http: httpSend,
    raw: rawSend
  }
  const send = senders[values.sender]
  if (send === undefined) throw new Error('--sender is undici, http or raw')
  const hooks = []
  let n = 0
  app.post('/api/v1/webhooks', (request_, reply) => {
    const { origin, pathname } = new URL(request_.body.url)
    hooks.push({ ...request_.body, origin, path: pathname })
    reply.code(201).send({ id: `wh_${hooks.length}` })
  })
  app.post('/__mock/events', (request_, reply) => {
    const { type, data } = request_.body
    const event = { id: `evt_${++n}`, type, timestamp: new Date().toISOString(), data }
    for (const hook of hooks) {
      if (!hook.events.includes(type)) continue
      const body = JSON.stringify(event)
      const signature = `sha256=${createHmac('sha256', hook.secret).update(body).digest('hex')}`
      send(hook, body, signature)
    }
    reply.code(202).send({ event })
  })
}

await app.listen({ port: Number(values.port), host: '127.0.0.1' })
const address = app.server.address()
process.stdout.write(`listening on http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : values.port}\n`)

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => { void app.close().then(() => { process.exitCode = 0 }) })
}
