// Scenario loading: YAML text, a file, or a plain object → a checked, normalised Scenario, or every
// problem found, each located by line:column and JSON pointer. Nothing here throws on bad input.
// The steps: read.ts (the file) → yaml.ts (text → data) → the schema (Ajv; schema-errors.ts) →
// normalise.ts (data → Scenario). The fault kinds come from LoadOptions.faultKinds (default: the registry).

import { FAULT_KINDS, type FaultKind } from '../../faults/index.js'
import { detachStrings } from '../../util/text.js'
import type { LoadOptions, LoadResult } from '../problem.js'
import type { Scenario } from '../types.js'
import { scenarioValidators } from '../validators.js'
import { DEFAULT_MAX_RULES, DEFAULT_MAX_SCENARIO_BYTES } from './defaults.js'
import { faultRules, normaliseRule, normaliseScenario, reportDuplicateRuleNames } from './normalise.js'
import { failAt, isRecord, messageOf, objectLocator, ProblemList } from './problems.js'
import { readScenarioText } from './read.js'
import { reportSchemaError } from './schema-errors.js'
import { readYaml } from './yaml.js'

export { DEFAULT_FLAP_STATUSES, DEFAULT_MAX_RULES, DEFAULT_MAX_SCENARIO_BYTES, DEFAULT_RATE_LIMIT_WINDOW_MS } from './defaults.js'
export type { LoadOptions, LoadResult, Problem } from '../problem.js'
export { formatProblem } from '../problem.js'

/** Checks and normalises scenario YAML; `source` names it in problems and in Scenario.source. */
export function parseScenario (text: string, source: string, options: LoadOptions = {}): LoadResult {
  try {
    const read = readYaml(text, source, options.maxBytes ?? DEFAULT_MAX_SCENARIO_BYTES)
    if (!read.ok) return read.result
    // Strings parsed out of a large text can keep all of it alive: the scenario holds copies.
    return read.problems.finish(source, detachStrings(checkScenario(read.data, source, read.problems, options)))
  } catch (error) {
    return failAt(source, 1, 1, `could not check the scenario: ${messageOf(error)}`)
  }
}

/** Checks and normalises an already-parsed scenario (same surface format); problems have line and column 0. */
export function scenarioFromObject (obj: unknown, source: string, options: LoadOptions = {}): LoadResult {
  try {
    const problems = new ProblemList(objectLocator(obj))
    return problems.finish(source, checkScenario(obj, source, problems, options))
  } catch (error) {
    return failAt(source, 0, 0, `could not check the scenario: ${messageOf(error)}`)
  }
}

/** Reads and checks a scenario file; unreadable, oversized or non-UTF-8 files are problems at 1:1. */
export async function loadScenarioFile (path: string, options: LoadOptions = {}): Promise<LoadResult> {
  const read = await readScenarioText(path, options.maxBytes ?? DEFAULT_MAX_SCENARIO_BYTES)
  return read.ok ? parseScenario(read.text, path, options) : failAt(path, 1, 1, read.message)
}

/** The schema check, then the normaliser's; rules are checked one by one so a broken one does not hide the others' problems. */
function checkScenario (data: unknown, source: string, problems: ProblemList, options: LoadOptions): Scenario | undefined {
  const { report } = problems
  const kinds: readonly FaultKind[] = options.faultKinds ?? FAULT_KINDS
  const validators = scenarioValidators(kinds)
  const valid = validators.scenario(data)
  for (const error of validators.scenario.errors ?? []) reportSchemaError(error, report)

  const rulesData: unknown[] = isRecord(data) && Array.isArray(data.rules) ? data.rules : []
  const maxRules = options.maxRules ?? DEFAULT_MAX_RULES
  if (rulesData.length > maxRules) report('/rules', `too many rules (${rulesData.length}; limit ${maxRules})`)
  reportDuplicateRuleNames(rulesData, report)
  const faults = faultRules(kinds)
  const rules = rulesData.map((rule, i) => validators.rule(rule) ? normaliseRule(rule, `/rules/${i}`, report, faults) : undefined)
  return valid ? normaliseScenario(data, rules, source, report) : undefined
}
