// The JSON-schema validators of scenario files: Ajv's standalone code written at build time
// (dist/server/scenario-validators.cjs), or compiled on first use when running from source.
// Both come from the same Ajv setup, so they give the same errors (test/scenario-validators.test.ts).
// Why prebuilt: compiling the schema took ~45 ms and grew the heap by ~19 MB at every start with
// a scenario file; loading the prebuilt code takes ~10 ms and ~1 MB.

import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import type { Ajv, ValidateFunction } from 'ajv'
import { ruleSchema, scenarioSchema } from './schema.js'
import { BUILD_DIR } from '../util/package-paths.js'

export interface SchemaValidators {
  scenario: ValidateFunction
  /** Rules are also checked one by one, so a broken rule does not hide the semantic problems of the others. */
  rule: ValidateFunction
}

const require = createRequire(import.meta.url)

export function prebuiltValidatorsFile (): string {
  return join(BUILD_DIR, 'scenario-validators.cjs')
}

/** The one Ajv setup; `source` keeps the generated code for the build's standalone output. */
export function createScenarioAjv (source = false): Ajv {
  // Required here, not imported: with the prebuilt file a start never evaluates Ajv for scenarios.
  const { Ajv } = require('ajv') as typeof import('ajv')
  const ajv = new Ajv({ allErrors: true, strict: true, verbose: true, allowUnionTypes: true, ...(source ? { code: { source: true } } : {}) })
  ajv.addKeyword({ keyword: 'errorMessage', schemaType: 'string' })
  ajv.addSchema(scenarioSchema, 'scenario')
  ajv.addSchema(ruleSchema, 'rule')
  return ajv
}

/** The standalone module the build writes (and its test compares with the written file). */
export function standaloneValidatorsCode (): string {
  const standaloneCode = (require('ajv/dist/standalone') as typeof import('ajv/dist/standalone/index.js')).default
  return standaloneCode(createScenarioAjv(true), { scenario: 'scenario', rule: 'rule' })
}

let validators: SchemaValidators | undefined

/** Loaded on first use: a server started without scenario files never pays for them. */
export function scenarioValidators (): SchemaValidators {
  if (validators !== undefined) return validators
  const file = prebuiltValidatorsFile()
  if (existsSync(file)) {
    validators = require(file) as SchemaValidators
  } else {
    const ajv = createScenarioAjv()
    validators = { scenario: ajv.getSchema('scenario')!, rule: ajv.getSchema('rule')! }
  }
  return validators
}
