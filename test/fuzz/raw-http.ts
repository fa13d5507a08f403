// A raw HTTP/1.1 client over node:net for the fuzz tests: sends any bytes and parses what the server
// writes back, without trusting the server to be sane.

import { connect } from 'node:net'

export interface RawResponse {
  status: number
  reason: string
  /** Lower-case name → values, in arrival order. */
  headers: Map<string, string[]>
  body: Buffer
  /** The framing of the body could not be followed (bad chunked encoding, bad Content-Length, ...). */
  framingError?: string
  /** Framed (no body, Content-Length or chunked) and received whole; close-delimited bodies never are. */
  complete: boolean
}

export interface RawExchange {
  /** Final (non-1xx) responses, in order. */
  responses: RawResponse[]
  /** Interim 1xx responses (100 Continue, ...). */
  interim: RawResponse[]
  /** Bytes after the last complete response, when they do not form one. */
  trailing: Buffer
  /** The server closed the connection (rather than the client timing out). */
  closed: boolean
  timedOut: boolean
  /** A socket error on the client side (ECONNRESET, ...). */
  error?: string
  elapsedMs: number
}

export interface SendOptions {
  /** Give up after this long without the server closing (default 3000 ms). */
  timeoutMs?: number
  /** The request method as sent, so HEAD answers are parsed without a body. */
  method?: string
  /**
   * Half-close after sending, so the server sees the end of the input: for requests that are
   * incomplete on purpose. Otherwise the exchange ends at the first complete final response (or
   * when the server closes): Node's server aborts a request whose client half-closed, so a
   * delayed or streamed answer would be cut by the client, not by the server.
   */
  halfClose?: boolean
  /** Without halfClose: how many complete final responses end the exchange (default 1; pipelining). */
  responses?: number
}

/** Sends `bytes` to 127.0.0.1:`port` and collects the answer (see SendOptions). */
export function sendRaw (port: number, bytes: Buffer, options: SendOptions = {}): Promise<RawExchange> {
  const timeoutMs = options.timeoutMs ?? 3000
  const started = performance.now()
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let done = false
    let error: string | undefined
    const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true })
    const finish = (closed: boolean, timedOut: boolean): void => {
      if (done) return
      done = true
      clearTimeout(timer)
      socket.destroy()
      const parsed = parseResponses(Buffer.concat(chunks), options.method)
      resolve({ ...parsed, closed, timedOut, ...(error !== undefined ? { error } : {}), elapsedMs: performance.now() - started })
    }
    const timer = setTimeout(() => finish(false, true), timeoutMs)
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk)
      if (options.halfClose === true) return
      const parsed = parseResponses(Buffer.concat(chunks), options.method)
      const last = parsed.responses.at(-1)
      if (last !== undefined && last.complete && parsed.trailing.length === 0 && parsed.responses.length >= (options.responses ?? 1)) finish(false, false)
    })
    socket.on('end', () => finish(true, false))
    socket.on('close', () => finish(true, false))
    socket.on('error', (err: NodeJS.ErrnoException) => {
      error = err.code ?? err.message
      finish(true, false)
    })
    socket.on('connect', () => {
      if (options.halfClose === true) socket.end(bytes)
      else socket.write(bytes)
    })
  })
}

const CRLF2 = Buffer.from('\r\n\r\n')

/** Splits a byte stream into HTTP/1.x responses; what does not parse is left in `trailing`. */
export function parseResponses (data: Buffer, method?: string): Pick<RawExchange, 'responses' | 'interim' | 'trailing'> {
  const responses: RawResponse[] = []
  const interim: RawResponse[] = []
  let rest = data
  while (rest.length > 0) {
    const headEnd = rest.indexOf(CRLF2)
    if (headEnd === -1) break
    const lines = rest.subarray(0, headEnd).toString('latin1').split('\r\n')
    const statusLine = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(lines[0] ?? '')
    if (statusLine === null) break
    const status = Number(statusLine[1])
    const headers = new Map<string, string[]>()
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':')
      if (colon <= 0) continue
      const name = line.slice(0, colon).trim().toLowerCase()
      headers.set(name, [...(headers.get(name) ?? []), line.slice(colon + 1).trim()])
    }
    const response: RawResponse = { status, reason: statusLine[2] ?? '', headers, body: Buffer.alloc(0), complete: false }
    let after = rest.subarray(headEnd + 4)
    if (status < 200) {
      interim.push(response)
      rest = after
      continue
    }
    const noBody = method === 'HEAD' || status === 204 || status === 304
    const te = headers.get('transfer-encoding')?.join(',').toLowerCase()
    const cl = headers.get('content-length')
    if (noBody) {
      response.complete = true
    } else if (te !== undefined && te.includes('chunked')) {
      const body: Buffer[] = []
      let ok = false
      for (;;) {
        const lineEnd = after.indexOf('\r\n')
        if (lineEnd === -1) break
        const size = Number.parseInt(after.subarray(0, lineEnd).toString('latin1').split(';')[0] ?? '', 16)
        if (!Number.isInteger(size) || size < 0) break
        if (size === 0) {
          // Trailers, if any, end with an empty line.
          const end = after.indexOf(CRLF2, lineEnd)
          after = end === lineEnd ? after.subarray(lineEnd + 4) : end === -1 ? after.subarray(lineEnd + 2) : after.subarray(end + 4)
          ok = true
          break
        }
        if (after.length < lineEnd + 2 + size + 2) break
        body.push(after.subarray(lineEnd + 2, lineEnd + 2 + size))
        after = after.subarray(lineEnd + 2 + size + 2)
      }
      response.body = Buffer.concat(body)
      if (!ok) response.framingError = 'incomplete chunked body'
      response.complete = ok
    } else if (cl !== undefined) {
      const length = Number(cl[0])
      if (cl.length !== 1 || !/^\d+$/.test(cl[0] ?? '')) response.framingError = `bad Content-Length ${JSON.stringify(cl)}`
      response.body = after.subarray(0, length)
      if (after.length < length) response.framingError = `body cut short: ${after.length} of ${length} bytes`
      response.complete = response.framingError === undefined
      after = after.subarray(Math.min(length, after.length))
    } else {
      // Delimited by the close.
      response.body = after
      after = Buffer.alloc(0)
    }
    responses.push(response)
    rest = after
  }
  return { responses, interim, trailing: rest }
}

/** The first value of a header, if any. */
export function headerOf (response: RawResponse, name: string): string | undefined {
  return response.headers.get(name)?.[0]
}
