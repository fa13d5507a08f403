// Ajv's errors of the scenario schema → short located problems: "unknown key "stauts" (did you
// mean "status"?)", "missing required key", what a value must be (the schema's own errorMessage
// where it has one).

import type { ErrorObject } from 'ajv'
import { childPointer, isRecord, quote, type Report } from './problems.js'

/** Reports one Ajv error of the scenario schema as a short message at the offending value or key. */
export function reportSchemaError (error: ErrorObject, report: Report): void {
  const params: Record<string, unknown> = error.params
  const schema: Record<string, unknown> = error.parentSchema ?? {}
  const path = error.instancePath
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty)
      const known = isRecord(schema.properties) ? Object.keys(schema.properties) : []
      const suggestion = closest(key, known)
      const hint = suggestion === undefined ? '' : ` (did you mean ${quote(suggestion)}?)`
      report(childPointer(path, key), `unknown key ${quote(key)}${hint}`, 'key')
      return
    }
    case 'required':
      report(path, `missing required key ${quote(String(params.missingProperty))}`)
      return
    case 'dependencies':
      report(childPointer(path, String(params.property)), `${quote(String(params.property))} needs ${quote(String(params.missingProperty))}`, 'key')
      return
    case 'propertyNames':
      return // the error about the name itself follows, with propertyName set
    case 'minItems':
      report(path, params.limit === 1 ? 'must not be empty' : `must have at least ${String(params.limit)} items`)
      return
    case 'uniqueItems': {
      const [first, second] = [Number(params.i), Number(params.j)].sort((a, b) => a - b)
      report(path, `must not repeat a value (items ${first} and ${second} are equal)`)
      return
    }
  }
  if (error.propertyName !== undefined) report(childPointer(path, error.propertyName), expectation(schema, error), 'key')
  else report(path, expectation(schema, error))
}

/** What a value must be, from the (sub)schema it failed. */
function expectation (schema: Record<string, unknown>, error: ErrorObject): string {
  if (typeof schema.errorMessage === 'string') return schema.errorMessage
  if ('const' in schema) return `must be ${JSON.stringify(schema.const)}`
  if (Array.isArray(schema.enum)) return `must be one of: ${schema.enum.join(', ')}`
  const min = typeof schema.minimum === 'number' ? schema.minimum : undefined
  const max = typeof schema.maximum === 'number' ? schema.maximum : undefined
  switch (schema.type) {
    case 'integer':
    case 'number': {
      const noun = schema.type === 'integer' ? 'an integer' : 'a number'
      if (min !== undefined && max !== undefined) return `must be ${noun} between ${min} and ${max}`
      if (min !== undefined) return `must be ${noun} >= ${min}`
      return `must be ${noun}`
    }
    case 'string': {
      const nonEmpty = schema.minLength === 1 ? 'a non-empty string' : 'a string'
      return typeof schema.maxLength === 'number' ? `must be ${nonEmpty} of at most ${schema.maxLength} characters` : `must be ${nonEmpty}`
    }
    case 'boolean': return 'must be true or false'
    case 'object': return 'must be a mapping'
    case 'array': return 'must be a list'
  }
  return error.message ?? 'is not valid'
}

/** The known key within edit distance 2 (case ignored), if any. */
function closest (word: string, candidates: string[]): string | undefined {
  let best: string | undefined
  let bestDistance = 3
  for (const candidate of candidates) {
    if (Math.abs(candidate.length - word.length) >= bestDistance) continue
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase())
    if (d < bestDistance && d < Math.min(word.length, candidate.length)) {
      best = candidate
      bestDistance = d
    }
  }
  return best
}

// Optimal string alignment: Levenshtein plus adjacent transpositions ("retyrAfter").
function editDistance (a: string, b: string): number {
  const width = b.length + 1
  const table = Array.from({ length: (a.length + 1) * width }, (_, k) => (k < width ? k : k % width === 0 ? k / width : 0))
  const d = (i: number, j: number): number => table[i * width + j] ?? 0
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      let best = Math.min(d(i - 1, j) + 1, d(i, j - 1) + 1, d(i - 1, j - 1) + (a[i - 1] === b[j - 1] ? 0 : 1))
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d(i - 2, j - 2) + 1)
      table[i * width + j] = best
    }
  }
  return d(a.length, b.length)
}
