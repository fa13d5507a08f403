// The one path every decision sees: the path Fastify's router dispatches on, decoded its own way.
// Auth, scopes, sessions and rules once read the raw URL while the router served the decoded one,
// so `/%61pi/v1/...` skipped the key check (issue 17).

import FindMyWay from 'find-my-way'

/**
 * An absolute-form request target (`GET http://host/api/v1/x HTTP/1.1`) reduced to its origin
 * form (`/api/v1/x`), as RFC 9112 §3.2.2 has servers do; other targets are returned unchanged.
 * Used as Fastify's `rewriteUrl`, so the router and every hook see the same URL.
 */
export function originForm (url: string): string {
  if (url.charCodeAt(0) === 47) return url // '/'
  const schemeEnd = url.indexOf('://')
  if (schemeEnd === -1) return url
  const scheme = url.slice(0, schemeEnd).toLowerCase()
  if (scheme !== 'http' && scheme !== 'https') return url
  const rest = url.slice(schemeEnd + 3)
  const slash = rest.indexOf('/')
  const query = rest.indexOf('?')
  if (slash !== -1 && (query === -1 || slash < query)) return rest.slice(slash)
  return query === -1 ? '/' : `/${rest.slice(query)}`
}

/** The decoded path without its query string, exactly as the router matches it. */
export function routedPath (url: string): string {
  return FindMyWay.sanitizeUrlPath(url, false)
}

/**
 * True for a path with an empty, `.` or `..` segment (a trailing slash is fine). The router does not
 * resolve them, so they are refused before any lookup rather than read two ways.
 */
export function hasUnsafeSegments (path: string): boolean {
  const body = path.endsWith('/') ? path.slice(0, -1) : path
  return body.includes('//') || body.includes('/./') || body.includes('/../') || body.endsWith('/.') || body.endsWith('/..')
}
