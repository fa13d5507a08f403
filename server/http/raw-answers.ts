// Answers HTTP requests Node's parser rejects (bad framing, oversized headers, slow headers) with
// an Aurion error body, so even protocol garbage gets the documented format.

import type { Socket } from 'node:net'
import { errorBody, type ErrorCode, ERRORS } from '../errors.js'

const REASONS: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' }

function codeOf (err: NodeJS.ErrnoException): ErrorCode {
  if (err.code === 'HPE_HEADER_OVERFLOW') return 'headers_too_large'
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') return 'request_timeout'
  return 'bad_request'
}

export function clientErrorHandler (err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return
  const code = codeOf(err)
  const status = ERRORS[code].status
  const message = code === 'bad_request' ? 'Malformed HTTP request' : ERRORS[code].message
  const body = JSON.stringify(errorBody(code, message))
  // Node has not parsed a request we could answer through Fastify: write the response ourselves.
  socket.end(`HTTP/1.1 ${status} ${REASONS[status] ?? 'Error'}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`)
}

/** CONNECT is answered by Node itself (a bare close) unless someone listens: a 405 in the Aurion format. */
export function answerConnect (_req: unknown, socket: Socket): void {
  const body = JSON.stringify(errorBody('method_not_allowed', 'CONNECT is not supported'))
  socket.end(`HTTP/1.1 405 Method Not Allowed\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`)
}
