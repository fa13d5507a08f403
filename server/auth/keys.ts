// API keys and scopes: the bundled test keys and the path-prefix scope rules of the Aurion docs.

import { resourceOfPath } from '../scenario/match.js'

export const SCOPES = [
  'tickets:read', 'tickets:write', 'kb:read', 'kb:write', 'users:read', 'webhooks:manage',
  'calls:read', 'usage:read', 'config:read', 'config:write'
] as const
export type Scope = typeof SCOPES[number]

/** The bundled keys: every scope, every read scope, tickets only (decision 1 of the API notes). */
export const DEFAULT_KEYS: Readonly<Record<string, readonly Scope[]>> = {
  ak_live_mock_full_access_0001: SCOPES,
  ak_live_mock_read_only_0002: SCOPES.filter((s) => s.endsWith(':read')),
  ak_live_mock_tickets_only_0003: ['tickets:read', 'tickets:write']
}

/** Parses `KEY=scope,scope` (the --key flag); throws with a readable message on a bad value. */
export function parseKeySpec (spec: string): [string, Scope[]] {
  const eq = spec.indexOf('=')
  const key = eq === -1 ? spec : spec.slice(0, eq)
  if (!/^[A-Za-z0-9_-]{8,200}$/.test(key)) throw new Error(`invalid API key "${key}": use 8-200 letters, digits, "_" or "-"`)
  const scopes = eq === -1 ? [] : spec.slice(eq + 1).split(',').map((s) => s.trim()).filter(Boolean)
  const expanded: Scope[] = []
  for (const s of scopes) {
    if (s === '*') expanded.push(...SCOPES)
    else if ((SCOPES as readonly string[]).includes(s)) expanded.push(s as Scope)
    else throw new Error(`unknown scope "${s}" for key ${key}; scopes: ${SCOPES.join(', ')}, or *`)
  }
  return [key, [...new Set(expanded)]]
}

/**
 * Masks a key for logs and journals: its last four characters, and none of a key shorter than 16
 * (four of twelve would give too much away).
 */
export function maskKey (key: string): string {
  return key.length < 16 ? '…' : `…${key.slice(-4)}`
}

const RESOURCE_SCOPES: Record<string, { read: Scope; write: Scope }> = {
  tickets: { read: 'tickets:read', write: 'tickets:write' },
  kb: { read: 'kb:read', write: 'kb:write' },
  users: { read: 'users:read', write: 'users:read' },
  webhooks: { read: 'webhooks:manage', write: 'webhooks:manage' },
  calls: { read: 'calls:read', write: 'calls:read' },
  usage: { read: 'usage:read', write: 'usage:read' },
  configuration: { read: 'config:read', write: 'config:write' }
}

/** The scope a method and path under /api/v1 need (a route's path template will do), or undefined for an unscoped path. */
export function requiredScope (method: string, path: string): Scope | undefined {
  const resource = resourceOfPath(path)
  const rule = Object.hasOwn(RESOURCE_SCOPES, resource) ? RESOURCE_SCOPES[resource] : undefined
  if (rule === undefined) return undefined
  return method === 'GET' || method === 'HEAD' ? rule.read : rule.write
}

/** Paths API keys may never reach, as one pattern: it is tried on every request. */
const DENIED = /^\/api\/(?:v1\/super-admin|configuration\/api-keys|sync)(?:\/|$)/

export type AccessDecision =
  | { kind: 'allowed' }
  | { kind: 'denied-path' }
  | { kind: 'missing-scope'; scope: Scope }
  | { kind: 'unscoped' }

/**
 * What a key with these scopes may do with this method and path. Read scopes open GET/HEAD under
 * their prefix, write scopes the other methods; a write scope does not imply read.
 */
const ALLOWED: AccessDecision = Object.freeze({ kind: 'allowed' })
const DENIED_PATH: AccessDecision = Object.freeze({ kind: 'denied-path' })
const UNSCOPED: AccessDecision = Object.freeze({ kind: 'unscoped' })

export function checkAccess (scopes: readonly Scope[], method: string, path: string): AccessDecision {
  // API keys are allow-listed to /api/v1/* only (which leaves out two of the denied paths).
  if (!path.startsWith('/api/v1/')) return DENIED_PATH
  // The pattern only needs trying on the paths that could match it.
  if (path.startsWith('/api/v1/super-admin') && DENIED.test(path)) return DENIED_PATH
  const needed = requiredScope(method, path)
  if (needed === undefined) return UNSCOPED
  return scopes.includes(needed) ? ALLOWED : { kind: 'missing-scope', scope: needed }
}
