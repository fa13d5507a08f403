// Small helpers shared by the resource plugins.

import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts'
import type { FastifyPluginOptions, FastifyReply, FastifyRequest } from 'fastify'
import { AurionError } from '../errors.js'
import type { Collection, Identified, SessionState } from '../store/types.js'
import type { Clock } from '../util/clock.js'
import type { WebhookService } from '../webhooks/service.js'

export interface ResourceOptions {
  clock: Clock
}

/** Options of the resources whose changes are webhook events. */
export interface EventfulOptions extends ResourceOptions {
  webhooks: WebhookService
}

/**
 * Queues a webhook event for the request's session, after the change is stored; never awaited, so
 * the answer does not wait for deliveries.
 */
export function notify (webhooks: WebhookService, request: FastifyRequest, type: string, data: Record<string, unknown>): void {
  const ctx = request.mock!
  webhooks.emit({ session: ctx.session, scenario: ctx.scenario.scenario, seed: ctx.seed }, type, data)
    .catch((err: unknown) => { request.log.error({ err, type }, 'webhook event not queued') })
}

/**
 * A resource plugin: its routes' bodies and query strings are typed from their JSON Schemas (the
 * json-schema-to-ts type provider), so handlers read them without casts. Validation is still ours
 * (validation.ts); the provider only gives types. Defaulted keys are present, as Ajv's useDefaults makes them.
 */
export type ResourcePlugin<O extends FastifyPluginOptions = Record<never, never>> = FastifyPluginAsyncJsonSchemaToTs<{ Options: O }>

export interface PageQuery {
  limit: number
  offset: number
}

/** The Aurion list envelope: `total` counts every match, `limit`/`offset` echo what was used. */
export function page<T> (items: readonly T[], q: PageQuery): { data: T[]; total: number; limit: number; offset: number } {
  return { data: items.slice(q.offset, q.offset + q.limit), total: items.length, limit: q.limit, offset: q.offset }
}

/**
 * The body of a route whose fields are all optional: the client may leave it out (validation.ts
 * lets it), which the schema's type cannot say. Then it is no fields at all.
 */
export function optionalBody<T extends object> (body: T | undefined): Partial<T> {
  return body ?? {}
}

/** A positive integer id from a path segment, or undefined (then the resource is not found). */
export function integerId (raw: string): number | undefined {
  // By hand rather than a regex: every read by id comes through here.
  const n = raw.length
  if (n === 0 || n > 15 || raw.charCodeAt(0) === 48) return undefined
  for (let i = 0; i < n; i++) {
    const c = raw.charCodeAt(i)
    if (c < 48 || c > 57) return undefined
  }
  return Number(raw)
}

export function sessionOf (request: FastifyRequest): SessionState {
  // Every /api route runs after the context hook, which always sets it.
  return request.mock!.session
}

/** Case-insensitive substring search over some fields. */
export function matchesSearch (record: Record<string, unknown>, fields: readonly string[], search: string | undefined): boolean {
  if (search === undefined || search === '') return true
  const needle = search.toLowerCase()
  return fields.some((f) => String(record[f] ?? '').toLowerCase().includes(needle))
}

/** Newest first by a timestamp field, then by id descending, so the order is total. */
export function newestFirst<T extends Record<string, unknown>> (field: string): (a: T, b: T) => number {
  return (a, b) => String(b[field]).localeCompare(String(a[field])) || Number(b.id) - Number(a.id)
}

/**
 * GET by id: answers with the record, or 404 `missing`. Synchronous while the store is (the
 * in-memory one always is), since reads are the hot path; a promise otherwise.
 */
export function sendById<T extends Identified> (reply: FastifyReply, collection: Collection<T>, id: string | number | undefined, missing: string): Promise<FastifyReply> | undefined {
  const found = id === undefined ? undefined : collection.get(id)
  if (found instanceof Promise) {
    return found.then((record) => {
      if (record === undefined) throw new AurionError('not_found', missing)
      return reply.send(record)
    })
  }
  if (found === undefined) throw new AurionError('not_found', missing)
  void reply.send(found)
  return undefined
}
