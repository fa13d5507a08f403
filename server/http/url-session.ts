// A session named in the URL: `/s/<id>/api/v1/...` is `/api/v1/...` in session <id>. The prefix is
// cut in Fastify's rewriteUrl, before routing, so the router, the key and scope checks, rules, the
// limiter and the journal all read one URL: the one without it (the way issue 17 closed the
// encoded-path bypass). The id is remembered per raw request for the hooks that pick the session.

import type { IncomingMessage } from 'node:http'
import { AurionError } from '../errors.js'
import { SESSION_ID } from './context.js'

/** What the URL said about the session: an id, or why its prefix was refused. */
export type UrlSession = { id: string } | { error: string }

// Keyed by the raw request, so each request's fact goes with it: no state outlives a request.
const seen = new WeakMap<IncomingMessage, UrlSession>()

/** `/s/` as the router reads it: the `s` may be percent-encoded (`%73`), as any letter may. */
const PREFIX = /^\/(?:s|%73)\//
/** Characters an id segment may hold as written: the id's own, or percent-escapes of them. */
const RAW_SEGMENT = /^(?:[A-Za-z0-9._:@-]|%[0-9A-Fa-f]{2})+$/

/**
 * `url` (origin form) without its `/s/<id>` prefix, noting the id on `req`. A prefix with a bad id
 * is left in place and noted as refused: no route starts with `/s/`, so the request reaches the
 * not-found handler, which answers 400 (`refusalOf`). Other URLs come back unchanged.
 */
export function cutSessionPrefix (req: IncomingMessage, url: string): string {
  const m = PREFIX.exec(url)
  // `/S/` is not the prefix: the router matches case-sensitively, and so does this.
  if (m === null) return url
  const start = m[0].length
  let end = start
  while (end < url.length && url[end] !== '/' && url[end] !== '?') end++
  const id = decodeId(url.slice(start, end))
  if (id === undefined) {
    seen.set(req, { error: 'The session in the URL (/s/<session>/...) must be 1-128 letters, digits or ._:@-' })
    return url
  }
  seen.set(req, { id })
  if (end === url.length) return '/'
  return url[end] === '?' ? `/${url.slice(end)}` : url.slice(end)
}

/** The id a segment spells, percent-decoded, or undefined when it is not a session id. */
function decodeId (segment: string): string | undefined {
  if (!RAW_SEGMENT.test(segment)) return undefined
  let id: string
  try {
    id = decodeURIComponent(segment)
  } catch {
    return undefined
  }
  // `.` and `..` are ids in a header, but in a URL they are dot segments that clients remove.
  return SESSION_ID.test(id) && id !== '.' && id !== '..' ? id : undefined
}

/** The session id the request's URL named, if it named a valid one. */
export function urlSessionId (req: IncomingMessage): string | undefined {
  const noted = seen.get(req)
  return noted !== undefined && 'id' in noted ? noted.id : undefined
}

/** The 400 for a request whose URL named a bad session, if it did. */
export function refusalOf (req: IncomingMessage): AurionError | undefined {
  const noted = seen.get(req)
  return noted !== undefined && 'error' in noted ? new AurionError('bad_request', noted.error) : undefined
}

/**
 * The session a request names by its URL and by `other` (a header or query value): whichever is
 * given, or a 400 when both are and they differ.
 */
export function agreeingSession (req: IncomingMessage, other: string | undefined, otherName: string): string | AurionError | undefined {
  const fromUrl = urlSessionId(req)
  if (fromUrl === undefined) return other
  if (other !== undefined && other !== fromUrl) {
    return new AurionError('bad_request', `The session in the URL ("${fromUrl}") and ${otherName} disagree`)
  }
  return fromUrl
}
