// Request validation: two Ajv instances (strict bodies, coerced query strings) and the mapping
// of Ajv errors to Aurion `details`, one entry per failing field, in the docs' wording.

import { createRequire } from 'node:module'
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv'
import type { ErrorDetail } from '../errors.js'

// Ajv is required when the first route is validated, not at start-up (it is CommonJS, so a
// synchronous require serves Fastify's synchronous validator compiler).
const require = createRequire(import.meta.url)

function makeAjv (coerce: boolean): Ajv {
  const { Ajv: AjvClass } = require('ajv') as typeof import('ajv')
  const addFormats = (require('ajv-formats') as { default: (ajv: Ajv) => Ajv }).default
  const ajv = new AjvClass({ allErrors: true, coerceTypes: coerce ? 'array' : false, useDefaults: true, removeAdditional: false, strict: false })
  addFormats(ajv)
  return ajv
}

/**
 * Compiles a schema for one part of a request; query strings and params are coerced, bodies are
 * not. Compilation waits for a route's first request, which keeps start-up fast.
 */
export function createValidatorCompiler (): (input: { schema: object; httpPart?: string }) => ValidateFunction {
  let strict: Ajv | undefined
  let coercing: Ajv | undefined
  const compile = (schema: object, httpPart: string | undefined): ValidateFunction => {
    if (httpPart !== 'body') return (coercing ??= makeAjv(true)).compile(schema)
    return compileBody((strict ??= makeAjv(false)), schema)
  }
  return ({ schema, httpPart }) => {
    let compiled: ValidateFunction | undefined
    const lazy = ((data: unknown) => {
      compiled ??= compile(schema, httpPart)
      const ok = compiled(data)
      lazy.errors = compiled.errors ?? null
      return ok
    }) as ValidateFunction
    return lazy
  }
}

function compileBody (strict: Ajv, schema: object): ValidateFunction {
  const validate = strict.compile(schema)
  // A body whose fields are all optional may be left out entirely (POST /tickets/:id/close).
  // Fastify hands validators `null` for a missing body; a JSON `null` body is refused earlier.
  // A body with no fields of its own (a configuration section: any object) is not optional.
  const { required, properties } = schema as { required?: unknown[]; properties?: object }
  if (required !== undefined || properties === undefined) return validate
  const optional = ((data: unknown) => {
    const ok = data === undefined || data === null || validate(data)
    optional.errors = ok ? null : validate.errors ?? null
    return ok
  }) as ValidateFunction
  return optional
}

const FORMAT_NAMES: Record<string, string> = {
  email: 'a valid email address',
  uri: 'a valid URL',
  'date-time': 'an ISO-8601 date-time',
  date: 'an ISO-8601 date (YYYY-MM-DD)'
}

function fieldOf (error: ErrorObject, part: string): string {
  const segments = error.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
  if (error.keyword === 'required') segments.push(String((error.params as { missingProperty: string }).missingProperty))
  if (segments.length === 0) return part
  return segments.reduce((path, s) => (/^\d+$/.test(s) ? `${path}[${s}]` : path === '' ? s : `${path}.${s}`), '')
}

/** A JSON type as the docs' messages name it: "a string", "an array", "a JSON object", "null". */
function typeName (type: string): string {
  if (type === 'object') return 'a JSON object'
  if (type === 'null') return 'null'
  return `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`
}

function messageOf (error: ErrorObject): string {
  const p = error.params as Record<string, unknown>
  switch (error.keyword) {
    case 'required': return 'Field required'
    case 'enum': return `Must be one of: ${(p.allowedValues as unknown[]).join(', ')}`
    case 'const': return `Must be ${JSON.stringify(p.allowedValue)}`
    case 'type': return `Must be ${String(p.type).split(',').map(typeName).join(' or ')}`
    case 'minLength': return p.limit === 1 ? 'Must not be empty' : `Must be at least ${String(p.limit)} characters`
    case 'maxLength': return `Must be at most ${String(p.limit)} characters`
    case 'minimum': return `Must be at least ${String(p.limit)}`
    case 'maximum': return `Must be at most ${String(p.limit)}`
    case 'minItems': return p.limit === 1 ? 'Must not be empty' : `Must have at least ${String(p.limit)} items`
    case 'maxItems': return `Must have at most ${String(p.limit)} items`
    case 'uniqueItems': return 'Must not contain duplicates'
    case 'format': return `Must be ${FORMAT_NAMES[String(p.format)] ?? `in ${String(p.format)} format`}`
    case 'pattern': return 'Has an invalid format'
    default: return error.message ?? 'Is invalid'
  }
}

/** One detail per failing field (the first problem found for it), in schema order. */
export function detailsFromAjv (errors: readonly ErrorObject[], part: string): ErrorDetail[] {
  const seen = new Map<string, ErrorDetail>()
  for (const error of errors) {
    const field = fieldOf(error, part)
    if (!seen.has(field)) seen.set(field, { field, message: messageOf(error) })
  }
  return [...seen.values()]
}
