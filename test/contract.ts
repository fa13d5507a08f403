// The contract check of the test helpers: every answer the tests receive is checked against the
// server's own OpenAPI document (the response schema of its operation and status). A mismatch
// throws, naming the operation, the status and the field, so the test that got it fails.

import { createRequire } from 'node:module'
import type { ErrorObject, ValidateFunction } from 'ajv'
import type { MockServer } from '../server/index.js'
import { FAULT_HEADER } from '../server/http/context.js'

const require = createRequire(import.meta.url)
// CommonJS modules, loaded as Node loads them (their ESM typings say `default`).
const { Ajv2020 } = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js')
const addFormats = require('ajv-formats') as (ajv: InstanceType<typeof Ajv2020>) => unknown

type Json = Record<string, unknown>

interface Operation {
  method: string
  template: string
  pattern: RegExp
  responses: Json
}

interface Contract {
  operations: Operation[]
  components: unknown
  validators: Map<string, ValidateFunction>
}

/** The paths the document covers: an answer there is checked even when no operation matches. */
const COVERED = /^\/(api|__mock)\//

const ajv = new Ajv2020({ strict: false, allErrors: true })
addFormats(ajv)
let contract: Contract | undefined

function asJson (value: unknown): Json {
  return typeof value === 'object' && value !== null ? value as Json : {}
}

/** The document's operations, literal paths first so /usage/summary is never taken for a template. */
function contractOf (server: MockServer): Contract {
  if (contract !== undefined) return contract
  const doc = asJson(server.mock.app.swagger())
  const operations: Operation[] = []
  for (const [template, item] of Object.entries(asJson(doc.paths))) {
    const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')
    for (const [method, op] of Object.entries(asJson(item))) {
      operations.push({ method: method.toUpperCase(), template, pattern: new RegExp(`^${source}$`), responses: asJson(asJson(op).responses) })
    }
  }
  operations.sort((a, b) => Number(a.template.includes('{')) - Number(b.template.includes('{')))
  contract = { operations, components: doc.components, validators: new Map() }
  return contract
}

function validatorFor (c: Contract, key: string, schema: unknown): ValidateFunction {
  let validate = c.validators.get(key)
  if (validate === undefined) {
    // The component references (#/components/...) resolve against this root.
    validate = ajv.compile({ allOf: [schema], components: c.components })
    c.validators.set(key, validate)
  }
  return validate
}

function describeErrors (errors: readonly ErrorObject[] | null | undefined): string {
  return (errors ?? []).map((e) => {
    const field = e.instancePath === '' ? '(body)' : e.instancePath
    const missing = e.keyword === 'required' ? `.${String(e.params.missingProperty)}` : ''
    return `${field}${missing} ${e.message ?? 'is invalid'}`
  }).join('; ')
}

/**
 * Checks one answer against the document of `server`. Not checked: HEAD answers (no body), and
 * answers a scenario changed (X-Mock-Fault: a test's own script, not the API's contract).
 */
export function checkAnswer (server: MockServer, method: string, url: string, status: number, headers: { get (name: string): string | null }, text: string): void {
  const path = new URL(url, 'http://mock').pathname.replace(/(.)\/+$/, '$1')
  if (method === 'HEAD' || !COVERED.test(path) || headers.get(FAULT_HEADER) !== null) return
  const c = contractOf(server)
  const op = c.operations.find((o) => o.method === method && o.pattern.test(path))
  const where = op === undefined ? `${method} ${path} (no operation)` : `${method} ${op.template}`
  let schema: unknown
  if (op === undefined) {
    // No route: only an Aurion error (404, 405, or a key refused before routing) may come back.
    if (status < 400) throw new Error(`contract: ${where} answered ${status}; the document has no such operation`)
    schema = { $ref: '#/components/schemas/AurionError' }
  } else {
    const response = asJson(op.responses[String(status)])
    if (op.responses[String(status)] === undefined) {
      throw new Error(`contract: ${where} answered ${status}, a status the document does not give it (documented: ${Object.keys(op.responses).join(', ')})`)
    }
    const content = asJson(response.content)
    const type = (headers.get('content-type') ?? '').split(';', 1)[0]?.trim() ?? ''
    if (Object.keys(content).length === 0) {
      if (text !== '') throw new Error(`contract: ${where} ${status} has a body; the document gives it none`)
      return
    }
    if (content[type] === undefined) throw new Error(`contract: ${where} ${status} answered ${type || 'no content type'}; documented: ${Object.keys(content).join(', ')}`)
    if (type !== 'application/json') return
    schema = asJson(content[type]).schema
  }
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    throw new Error(`contract: ${where} ${status}: the body is not JSON: ${text.slice(0, 80)}`)
  }
  const validate = validatorFor(c, `${where} ${status}`, schema)
  if (!validate(body)) throw new Error(`contract: ${where} ${status}: ${describeErrors(validate.errors)}`)
}
