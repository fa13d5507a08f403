// Generated input, from each route's own JSON Schema: bodies and query strings json-schema-faker
// makes from it (seeded, so every run sends the same ones) are accepted, and a single-field
// violation - one per field and per rule of the field that a value can break - answers 422 with
// exactly one `details` entry, naming that field. Over real HTTP, one session per case.

import t from 'tap'
import { createGeneratorSync } from 'json-schema-faker'
import { ManualClock, type MockServer } from '../../server/index.js'
import { createValidatorCompiler } from '../../server/api/validation.js'
import { call, serve, type JsonResponse } from '../helpers.js'
import { apiRoutes, concretePath, type ApiRoute, type JsonSchema } from './api-routes.js'
import { readmeSays } from './readme-counts.js'

/** Generated valid inputs per route and part; the README quotes the totals. */
export const VALID_PER_ROUTE = 25
const SEED = 18

/**
 * Dates near the manual clock's day (2026-01-01): usage details refuses a range over 366 days or
 * one that ends before it starts, rules across two fields that a schema cannot state; the pair is
 * put in order below.
 */
const formats = { date: (random: { int: (min: number, max: number) => number }) => `2025-12-${String(random.int(1, 31)).padStart(2, '0')}` }
const generator = createGeneratorSync({ seed: SEED, formats })
const complete = createGeneratorSync({ seed: SEED, formats, alwaysFakeOptionals: true })

function inOrder (query: Record<string, unknown>): Record<string, unknown> {
  const { start_date: start, end_date: end } = query
  if (typeof start === 'string' && typeof end === 'string' && start > end) return { ...query, start_date: end, end_date: start }
  return query
}

function queryString (query: Record<string, unknown>): string {
  const params = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]))
  const s = params.toString()
  return s === '' ? '' : `?${s}`
}

/** Values to try against each field: every JSON type, edge strings and arrays. */
const BODY_CANDIDATES: unknown[] = [
  42, 1.5, -1, true, null, {}, [], '', 'x', 'not an email', 'ftp://example.com/x', 'not a url', 'x'.repeat(300), ['x', 'x'], [42], [''], ['not.an.event']
]
const QUERY_CANDIDATES = ['abc', '', '0', '-1', '101', '1.5', 'maybe', 'March', '2026-02-30']

/** The server's own validator compiler (strict bodies, coerced queries), one validator per field. */
const compileValidator = createValidatorCompiler()
const fieldValidators = new Map<string, ReturnType<typeof compileValidator>>()
function fieldValidator (fieldSchema: JsonSchema, part: 'body' | 'querystring'): ReturnType<typeof compileValidator> {
  const key = `${part} ${JSON.stringify(fieldSchema)}`
  let validate = fieldValidators.get(key)
  if (validate === undefined) {
    validate = compileValidator({ schema: { type: 'object', properties: { f: fieldSchema } }, httpPart: part })
    fieldValidators.set(key, validate)
  }
  return validate
}

/**
 * The rules a value breaks in one field's schema (`minLength`, `items/enum`…), when it breaks them
 * at one place only (the field, or one item of it); undefined when it is valid there, or wrong in
 * several places at once (two bad items are two details, rightly).
 */
function brokenRules (fieldSchema: JsonSchema, value: unknown, part: 'body' | 'querystring'): string | undefined {
  const validate = fieldValidator(fieldSchema, part)
  if (validate({ f: value })) return undefined
  const errors = validate.errors ?? []
  if (new Set(errors.map((e) => e.instancePath)).size !== 1) return undefined
  return [...new Set(errors.map((e) => e.schemaPath.replace('#/properties/f/', '')))].sort().join('+')
}

interface Violation { field: string; value: unknown; rules: string }

/**
 * One violation per field and per set of broken rules, plus a missing one per required field. The
 * candidates are fixed values and, for a list, the base's own list with its first item repeated.
 */
function violations (schema: JsonSchema, part: 'body' | 'querystring', base: Record<string, unknown>): Violation[] {
  const found = new Map<string, Violation>()
  for (const [field, fieldSchema] of Object.entries(schema.properties ?? {})) {
    const own = base[field]
    const derived = Array.isArray(own) && own.length > 0 ? [[...own, own[0]]] : []
    for (const value of part === 'body' ? [...BODY_CANDIDATES, ...derived] : QUERY_CANDIDATES) {
      const rules = brokenRules(fieldSchema, value, part)
      if (rules !== undefined && !found.has(`${field} ${rules}`)) found.set(`${field} ${rules}`, { field, value, rules })
    }
  }
  const list = [...found.values()]
  for (const field of schema.required ?? []) list.push({ field, value: undefined, rules: 'required' })
  return list
}

/** A message in the docs' style ("Must be one of: low, medium, high, urgent"), never Ajv's own, in good English. */
const docsStyle = (message: string): boolean => /^(Must (be|not|have) |Field required$|Has an invalid format$)/.test(message) && !/\ba [aeiou]/.test(message)
const names = (field: string, detail: { field: string }) => detail.field === field || detail.field.startsWith(`${field}[`)

let sessions = 0
function send (server: MockServer, route: ApiRoute, options: { body?: unknown; query?: Record<string, unknown> }): Promise<JsonResponse> {
  const path = concretePath(route.url) + (options.query === undefined ? '' : queryString(options.query))
  return call(server, route.method, path, { headers: { 'x-mock-session': `gen-${++sessions}` }, ...(options.body !== undefined ? { body: options.body } : {}) })
}

t.test('generated input, from every route\'s own schema', async (t) => {
  const routes = await apiRoutes()
  const server = await serve(t, { clock: new ManualClock(), config: { rateLimit: 0, maxSessions: 10_000, webhookHosts: ['*'] } })
  const withSchemas = routes.filter((r) => r.body !== undefined || r.querystring !== undefined)
  t.ok(withSchemas.length >= 13, `${withSchemas.length} routes declare a body or query schema`)
  const counts = { valid: 0, violations: 0 }

  for (const route of withSchemas) {
    const parts = [['body', route.body], ['querystring', route.querystring]] as const
    for (const [part, schema] of parts) {
      if (schema === undefined) continue
      await t.test(`${route.method} ${route.url} ${part}`, async (t) => {
        const bad: string[] = []
        for (let i = 0; i < VALID_PER_ROUTE; i++) {
          const value = generator.generate(schema as never) as Record<string, unknown>
          const res = part === 'body' ? await send(server, route, { body: value }) : await send(server, route, { query: inOrder(value) })
          if (res.status >= 300) bad.push(`${JSON.stringify(value).slice(0, 200)} -> ${res.status} ${res.text.slice(0, 200)}`)
          counts.valid++
        }
        t.same(bad, [], `${VALID_PER_ROUTE} generated ${part === 'body' ? 'bodies' : 'queries'} accepted`)

        const base = inOrder(complete.generate(schema as never) as Record<string, unknown>)
        const baseRes = part === 'body' ? await send(server, route, { body: base }) : await send(server, route, { query: base })
        t.ok(baseRes.status < 300, `the base with every field is accepted: ${JSON.stringify(base).slice(0, 200)} -> ${baseRes.status}`)
        for (const v of violations(schema, part, base)) {
          const input = { ...base }
          if (v.value === undefined) delete input[v.field]
          else input[v.field] = v.value
          const res = part === 'body' ? await send(server, route, { body: input }) : await send(server, route, { query: input })
          const details = (res.body?.details ?? []) as { field: string; message: string }[]
          const ok = res.status === 422 && details.length === 1 && names(v.field, details[0]!) && docsStyle(details[0]!.message)
          t.ok(ok, `${v.field} = ${JSON.stringify(v.value)} (${v.rules}) -> one detail naming it: ${details[0]?.message}`, ok ? {} : { status: res.status, body: res.text })
          counts.violations++
        }
      })
    }
  }

  await t.test('a body that is not an object is one detail naming the body', async (t) => {
    for (const route of withSchemas.filter((r) => r.body !== undefined)) {
      for (const body of [[], 'text', 42, null]) {
        const res = await send(server, route, { body })
        t.same([res.status, res.body?.details], [422, [{ field: 'body', message: 'Must be a JSON object' }]], `${route.method} ${route.url} with ${JSON.stringify(body)}`)
        counts.violations++
      }
    }
  })
  const stated = `makes ${counts.valid} bodies and query strings (${VALID_PER_ROUTE} for each of the ${counts.valid / VALID_PER_ROUTE} routes that take one), all accepted; ${counts.violations} single-field violations`
  t.ok(readmeSays(stated), `the README counts the cases: ${stated}`)
})
