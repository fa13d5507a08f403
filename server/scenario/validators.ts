// The JSON-schema validators of scenario files. For the fault registry's own kinds: Ajv's standalone
// code written at build time (dist/server/scenario-validators.cjs), or compiled on first use when
// running from source; both come from the same Ajv setup, so they give the same errors
// (test/scenario/validators.test.ts). For another list of kinds (a test's, a library user's):
// compiled on first use from that list's schema, and kept while the list lives.
// Why prebuilt: compiling the schema took ~45 ms and grew the heap by ~19 MB at every start with
// a scenario file; loading the prebuilt code takes ~10 ms and ~1 MB.

import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import type { Ajv, ValidateFunction } from 'ajv'
import { FAULT_KINDS, type FaultKind } from '../faults/index.js'
import type { RuleInput, ScenarioInput } from './input.js'
import { scenarioSchemas } from './schema.js'
import { BUILD_DIR } from '../util/package-paths.js'

export interface SchemaValidators {
  scenario: ValidateFunction<ScenarioInput>
  /** Rules are also checked one by one, so a broken rule does not hide the semantic problems of the others. */
  rule: ValidateFunction<RuleInput>
}

const require = createRequire(import.meta.url)

export function prebuiltValidatorsFile (): string {
  return join(BUILD_DIR, 'scenario-validators.cjs')
}

/** The one Ajv setup; `source` keeps the generated code for the build's standalone output. */
export function createScenarioAjv (source = false, kinds: readonly FaultKind[] = FAULT_KINDS): Ajv {
  // Required here, not imported: with the prebuilt file a start never evaluates Ajv for scenarios.
  const { Ajv } = require('ajv') as typeof import('ajv')
  const ajv = new Ajv({ allErrors: true, strict: true, verbose: true, allowUnionTypes: true, ...(source ? { code: { source: true } } : {}) })
  ajv.addKeyword({ keyword: 'errorMessage', schemaType: 'string' })
  const schemas = scenarioSchemas(kinds)
  ajv.addSchema(schemas.scenario, 'scenario')
  ajv.addSchema(schemas.rule, 'rule')
  return ajv
}

/** The standalone module the build writes (and its test compares with the written file). */
export function standaloneValidatorsCode (): string {
  const standaloneCode = (require('ajv/dist/standalone') as typeof import('ajv/dist/standalone/index.js')).default
  return standaloneCode(createScenarioAjv(true), { scenario: 'scenario', rule: 'rule' })
}

function compileValidators (kinds: readonly FaultKind[]): SchemaValidators {
  const ajv = createScenarioAjv(false, kinds)
  const scenario = ajv.getSchema<ScenarioInput>('scenario')
  const rule = ajv.getSchema<RuleInput>('rule')
  if (scenario === undefined || rule === undefined) throw new Error('the scenario schemas were not added')
  return { scenario, rule }
}

let registryValidators: SchemaValidators | undefined
const otherValidators = new WeakMap<readonly FaultKind[], SchemaValidators>()

/** The validators for a list of fault kinds, made on first use: a server started without scenario files never pays for them. */
export function scenarioValidators (kinds: readonly FaultKind[] = FAULT_KINDS): SchemaValidators {
  if (kinds !== FAULT_KINDS) {
    const known = otherValidators.get(kinds)
    if (known !== undefined) return known
    const made = compileValidators(kinds)
    otherValidators.set(kinds, made)
    return made
  }
  if (registryValidators !== undefined) return registryValidators
  const file = prebuiltValidatorsFile()
  registryValidators = existsSync(file) ? require(file) as SchemaValidators : compileValidators(FAULT_KINDS)
  return registryValidators
}
