// Scenario loading: YAML text (or a plain object) → a checked, normalised Scenario, or every problem
// found, each located by line:column and JSON pointer. Nothing here throws on bad input.

import { open } from 'node:fs/promises'
import type { ErrorObject, ValidateFunction } from 'ajv'
import { scenarioValidators } from './validators.js'
import {
  CST, Lexer, LineCounter, isMap, isNode, isScalar, isSeq, isAlias, parseDocument, type Document, type Pair,
} from 'yaml'
import { normaliseExpect } from '../verify/expect.js'
import { detachStrings } from '../util/text.js'
import { faultKind } from '../faults/index.js'
import { MAX_DURATION_MS, tryParseDuration } from './duration.js'
import { STEP_FIELD_NAMES } from './schema.js'
import type { LoadOptions, LoadResult, Problem } from './problem.js'
import type {
  ErrorDetail, Flap, Latency, Match, RateLimitSettings, Rule, Scenario, Step, TransportFault, TransportFaultType,
} from './types.js'

export const DEFAULT_MAX_SCENARIO_BYTES = 1_048_576
export const DEFAULT_MAX_RULES = 10_000
export const DEFAULT_RATE_LIMIT_WINDOW_MS = 60_000
export const DEFAULT_FLAP_STATUSES: readonly number[] = [503]
export const DEFAULT_TIMEOUT_HOLD_MS = 30_000
export const DEFAULT_TRUNCATE_KEEP = 0.5
export const DEFAULT_DRIP_CHUNK_BYTES = 16
export const DEFAULT_DRIP_EVERY_MS = 100

// The yaml composer recurses once per nesting level; near the stack limit (~700 levels) V8 can abort
// the whole process instead of throwing, so deeper text is refused before it is parsed.
const MAX_YAML_NESTING = 256
// Request matching walks bodies recursively.
const MAX_BODY_DEPTH = 64
const MAX_YAML_ALIASES = 100

export type { LoadOptions, LoadResult, Problem } from './problem.js'
export { formatProblem } from './problem.js'

/** Checks and normalises scenario YAML; `source` names it in problems and in Scenario.source. */
export function parseScenario (text: string, source: string, options: LoadOptions = {}): LoadResult {
  try {
    return parseText(text, source, options)
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
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_SCENARIO_BYTES
  let head: { bytes: Buffer; size: number }
  try {
    head = await readHead(path, maxBytes)
  } catch (error) {
    return failAt(path, 1, 1, messageOf(error))
  }
  if (head.size > maxBytes) return failAt(path, 1, 1, `scenario file too large (${head.size} bytes; limit ${maxBytes})`)
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(head.bytes)
  } catch {
    return failAt(path, 1, 1, 'scenario file is not UTF-8 text')
  }
  return parseScenario(text, path, options)
}

// Stops after limit + 1 bytes, so a huge file or an endless device is never read whole.
async function readHead (path: string, limit: number): Promise<{ bytes: Buffer; size: number }> {
  const handle = await open(path, 'r')
  try {
    const { size } = await handle.stat()
    if (size > limit) return { bytes: Buffer.alloc(0), size }
    const chunks: Buffer[] = []
    let total = 0
    while (total <= limit) {
      const chunk = Buffer.alloc(Math.min(65_536, limit + 1 - total))
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null)
      if (bytesRead === 0) break
      chunks.push(chunk.subarray(0, bytesRead))
      total += bytesRead
    }
    return { bytes: Buffer.concat(chunks), size: total }
  } finally {
    await handle.close()
  }
}

function failAt (file: string, line: number, column: number, message: string): LoadResult {
  return { ok: false, problems: [{ file, line, column, message, pointer: '' }] }
}

function messageOf (error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

// ---------------------------------------------------------------------------------------------
// Problems and where they are

type Anchor = 'key' | 'value'
interface Place { line: number; column: number; order: number[] }
type Locate = (pointer: string, anchor: Anchor) => Place
type Report = (pointer: string, message: string, anchor?: Anchor) => void

interface Found extends Place { pointer: string; message: string }

class ProblemList {
  readonly #found: Found[] = []
  readonly #locate: Locate

  constructor (locate: Locate) {
    this.#locate = locate
  }

  /** Reports at the value (or key) that `pointer` names; an arrow, so it can be passed around. */
  report: Report = (pointer, message, anchor = 'value') => {
    this.#found.push({ pointer, message, ...this.#locate(pointer, anchor) })
  }

  reportAt (place: Place, pointer: string, message: string): void {
    this.#found.push({ pointer, message, ...place })
  }

  /** The result: the scenario when nothing was found, else the problems in document order, without repeats. */
  finish (file: string, scenario: Scenario | undefined): LoadResult {
    if (this.#found.length === 0 && scenario !== undefined) return { ok: true, scenario }
    const seen = new Set<string>()
    const problems: Problem[] = []
    for (const f of [...this.#found].sort((a, b) => compareOrder(a.order, b.order))) {
      const id = `${f.pointer}\n${f.message}`
      if (seen.has(id)) continue
      seen.add(id)
      problems.push({ file, line: f.line, column: f.column, message: f.message, pointer: f.pointer })
    }
    return { ok: false, problems }
  }
}

function compareOrder (a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0)
    if (d !== 0) return d
  }
  return a.length - b.length
}

function escapePointer (segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1')
}

function childPointer (parent: string, key: string | number): string {
  return `${parent}/${escapePointer(String(key))}`
}

function splitPointer (pointer: string): string[] {
  if (pointer === '') return []
  return pointer.slice(1).split('/').map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
}

/** Document order for an object: the index of each key or item along the pointer. */
function objectLocator (root: unknown): Locate {
  return (pointer) => {
    const order: number[] = []
    let node = root
    for (const segment of splitPointer(pointer)) {
      const index = Array.isArray(node) ? Number(segment) : isRecord(node) ? Object.keys(node).indexOf(segment) : -1
      if (!(index >= 0)) break
      order.push(index)
      node = Array.isArray(node) ? node[index] : isRecord(node) ? node[segment] : undefined
    }
    return { line: 0, column: 0, order }
  }
}

function isRecord (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function quote (text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text)
}

// ---------------------------------------------------------------------------------------------
// YAML

function parseText (text: string, source: string, options: LoadOptions): LoadResult {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_SCENARIO_BYTES
  const bytes = Buffer.byteLength(text)
  if (bytes > maxBytes) return failAt(source, 1, 1, `scenario too large (${bytes} bytes; limit ${maxBytes})`)
  const deepAt = findDeepNesting(text)
  if (deepAt !== undefined) {
    const { line, column } = positionOf(text, deepAt)
    return failAt(source, line, column, `YAML nested too deeply (indentation plus brackets over ${MAX_YAML_NESTING})`)
  }

  const lineCounter = new LineCounter()
  const doc = parseDocument(text, {
    lineCounter, prettyErrors: false, uniqueKeys: true, resolveKnownTags: false, logLevel: 'error',
  })
  const place = (offset: number): Place => {
    const { line, col } = lineCounter.linePos(offset)
    return { line, column: col, order: [offset] }
  }
  const problems = new ProblemList((pointer, anchor) => place(offsetOf(doc, pointer, anchor)))
  if (reportYamlIssues(doc, text, place, problems)) return problems.finish(source, undefined)
  if (doc.contents === null) {
    problems.report('', 'scenario is empty: expected a mapping with version, name and rules')
    return problems.finish(source, undefined)
  }
  let data: unknown
  try {
    data = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES })
  } catch (error) {
    problems.report('', `could not read the YAML: ${messageOf(error)}`)
    return problems.finish(source, undefined)
  }
  // The size limit holds for what the aliases expand to, not only for the text.
  const expanded = JSON.stringify(data)?.length ?? 0
  if (expanded > maxBytes) {
    problems.report('', `scenario too large once its aliases are expanded (${expanded} characters; limit ${maxBytes})`)
    return problems.finish(source, undefined)
  }
  return problems.finish(source, detachStrings(checkScenario(data, source, problems, options)))
}

/** Reports YAML errors and warnings; true when the document is too broken to check further. */
function reportYamlIssues (doc: Document, text: string, place: (offset: number) => Place, problems: ProblemList): boolean {
  let fatal = false
  const keyPointers = new Map<number, { key: string; pointer: string }>()
  forEachPair(doc, (pair, pointer, parent) => {
    const start = startOf(pair.key)
    if (start !== undefined) keyPointers.set(start, { key: keyText(pair.key), pointer })
    if (pair.key === null || isScalar(pair.key)) return
    // The key would be stringified into nonsense that the schema then reports again.
    fatal = true
    problems.reportAt(place(start ?? 0), parent, 'mapping keys must be plain text, not collections or aliases')
  })
  for (const error of doc.errors) {
    const [start, end] = error.pos
    if (error.code === 'DUPLICATE_KEY') {
      const key = keyPointers.get(start)
      problems.reportAt(place(start), key?.pointer ?? '', `duplicate key ${quote(key?.key ?? text.slice(start, end))}`)
      continue
    }
    fatal = true
    problems.reportAt(place(start), '', `YAML syntax error: ${error.message.charAt(0).toLowerCase()}${error.message.slice(1)}`)
  }
  for (const warning of doc.warnings) {
    const [start, end] = warning.pos
    const message = warning.code === 'TAG_RESOLVE_FAILED'
      ? `unsupported YAML tag ${text.slice(start, end)}`
      : `YAML: ${warning.message}`
    problems.reportAt(place(start), '', message)
  }
  return fatal
}

function keyText (key: unknown): string {
  if (isScalar(key)) return key.value === null ? '' : String(key.value)
  return String(key)
}

function startOf (node: unknown): number | undefined {
  // Empty values (`key:`) have an empty range; their key is the better place.
  return isNode(node) && node.range && node.range[0] < node.range[1] ? node.range[0] : undefined
}

/** Calls back for every mapping pair with the pointers of its value and of its mapping; aliases are not followed. */
function forEachPair (doc: Document, callback: (pair: Pair, pointer: string, parent: string) => void): void {
  const stack: Array<{ node: unknown; pointer: string }> = [{ node: doc.contents, pointer: '' }]
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const { node, pointer } = item
    if (isMap(node)) {
      for (const pair of node.items) {
        const child = childPointer(pointer, keyText(pair.key))
        callback(pair, child, pointer)
        stack.push({ node: pair.value, pointer: child })
      }
    } else if (isSeq(node)) {
      node.items.forEach((value, index) => stack.push({ node: value, pointer: childPointer(pointer, index) }))
    }
  }
}

/** Offset of the node (or its key) that a pointer names; the deepest existing ancestor when it is missing. */
function offsetOf (doc: Document, pointer: string, anchor: Anchor): number {
  let node: unknown = doc.contents
  let offset = startOf(node) ?? 0
  let keyOffset: number | undefined
  for (const segment of splitPointer(pointer)) {
    if (isAlias(node)) node = node.resolve(doc)
    keyOffset = undefined
    if (isMap(node)) {
      const pair = node.items.find((p) => keyText(p.key) === segment)
      if (pair === undefined) return offset
      keyOffset = startOf(pair.key)
      node = pair.value
      offset = startOf(node) ?? keyOffset ?? offset
    } else if (isSeq(node) && /^(0|[1-9][0-9]*)$/.test(segment)) {
      node = node.items[Number(segment)]
      if (node === undefined) return offset
      offset = startOf(node) ?? offset
    } else {
      return offset
    }
  }
  return anchor === 'key' && keyOffset !== undefined ? keyOffset : offset
}

function positionOf (text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset)
  const lineStart = before.lastIndexOf('\n') + 1
  return { line: before.split('\n').length, column: offset - lineStart + 1 }
}

/**
 * Offset where open brackets plus indentation plus the block indicators (`- `, `? `, `: `) on the
 * line first exceed MAX_YAML_NESTING. It over-estimates the parser's depth (it counts columns, not
 * levels) and uses yaml's own lexer, so brackets inside quoted or block scalars do not count.
 */
function findDeepNesting (text: string): number | undefined {
  let offset = 0
  let flow = 0
  let indent = 0
  let indicators = 0
  let lineStart = true
  let scalarNext = false
  for (const token of new Lexer().lex(text)) {
    const type = scalarNext ? 'scalar-source' : CST.tokenType(token)
    scalarNext = false
    // Markers the lexer inserts: not part of the text.
    if (type === 'doc-mode' || type === 'flow-error-end') continue
    if (type === 'scalar') {
      scalarNext = true
      continue
    }
    if (type === 'newline') {
      indent = 0
      indicators = 0
      lineStart = true
    } else if (type === 'space') {
      if (lineStart) indent = token.length
    } else {
      lineStart = false
      const blockIndicator = type === 'seq-item-ind' || type === 'explicit-key-ind' || type === 'map-value-ind'
      if (blockIndicator && flow === 0) indicators++
      else if (type === 'flow-seq-start' || type === 'flow-map-start') flow++
      else if (type === 'flow-seq-end' || type === 'flow-map-end') flow = Math.max(0, flow - 1)
    }
    if (flow + indent + indicators > MAX_YAML_NESTING) return offset
    offset += token.length
  }
  return undefined
}

// ---------------------------------------------------------------------------------------------
// The surface format, as the schema guarantees it

type DurationInput = number | string
type TextInput = string | number | boolean
interface FaultObjectInput { type: TransportFaultType; hold?: DurationInput; keep?: number; chunk?: number; every?: DurationInput }
type FaultInput = TransportFaultType | FaultObjectInput
type LatencyInput = DurationInput | { min: DurationInput; max: DurationInput }

interface StepFieldsInput {
  pass?: true
  status?: number
  error?: string
  message?: string
  details?: ErrorDetail[]
  retryAfter?: number | string
  headers?: Record<string, TextInput>
  body?: unknown
  latency?: LatencyInput
  fault?: FaultInput
  commit?: boolean
}
interface StepObjectInput extends StepFieldsInput { times?: number }

interface MatchInput {
  method?: string | string[]
  path?: string
  query?: Record<string, TextInput>
  headers?: Record<string, TextInput>
  apiKey?: string | string[]
  body?: unknown
}

interface FlapInput { up: DurationInput; down: DurationInput; statuses?: number[]; retryAfter?: boolean; startDown?: boolean }

interface RuleInput extends StepFieldsInput {
  name: string
  description?: string
  match?: MatchInput
  after?: number
  chance?: number
  window?: { start?: DurationInput; end?: DurationInput }
  sequence?: Array<'pass' | StepObjectInput>
  repeat?: boolean
  flap?: FlapInput
}

interface ScenarioInput {
  version: 1
  name: string
  description?: string
  seed?: number
  rateLimit?: { max: number; window?: DurationInput }
  expect?: unknown
  rules?: RuleInput[]
}

/** scenario-validators.ts's functions, typed by what they accept. */
interface Validators {
  scenario: ValidateFunction<ScenarioInput>
  rule: ValidateFunction<RuleInput>
}

// ---------------------------------------------------------------------------------------------
// Schema errors → short messages

function reportSchemaError (error: ErrorObject, report: Report): void {
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

// ---------------------------------------------------------------------------------------------
// Checks the schema cannot express, and normalisation

const STEP_KEYS: ReadonlySet<string> = new Set(STEP_FIELD_NAMES)
const ACTION_KEYS = ['pass', 'status', 'fault', 'latency', 'body'] as const
const NOT_WITH_PASS = ['status', 'error', 'message', 'details', 'retryAfter', 'headers', 'body'] as const
const FAULT_OPTIONS: Record<TransportFaultType, readonly string[]> = {
  reset: [], timeout: ['hold'], empty: [], truncate: ['keep'], malformed: [], drip: ['chunk', 'every'],
}

function checkScenario (data: unknown, source: string, problems: ProblemList, options: LoadOptions): Scenario | undefined {
  const { report } = problems
  const { scenario: isScenarioInput, rule: isRuleInput } = scenarioValidators() as unknown as Validators
  const valid = isScenarioInput(data)
  for (const error of isScenarioInput.errors ?? []) reportSchemaError(error, report)

  const rulesData = isRecord(data) && Array.isArray(data.rules) ? data.rules : []
  const maxRules = options.maxRules ?? DEFAULT_MAX_RULES
  if (rulesData.length > maxRules) report('/rules', `too many rules (${rulesData.length}; limit ${maxRules})`)
  reportDuplicateRuleNames(rulesData, report)
  const rules = rulesData.map((rule, i) => isRuleInput(rule) ? normaliseRule(rule, `/rules/${i}`, report) : undefined)
  if (!valid) return undefined

  const scenario: Scenario = { version: 1, name: data.name, rules: rules.filter((r) => r !== undefined), source }
  if (data.description !== undefined) scenario.description = data.description
  if (data.seed !== undefined) scenario.seed = data.seed
  if (data.rateLimit !== undefined) scenario.rateLimit = normaliseRateLimit(data.rateLimit, '/rateLimit', report)
  if (data.expect !== undefined) scenario.expect = normaliseExpect(data.expect)
  return scenario
}

function reportDuplicateRuleNames (rules: unknown[], report: Report): void {
  const firstByName = new Map<string, number>()
  rules.forEach((rule, i) => {
    if (!isRecord(rule) || typeof rule.name !== 'string') return
    const first = firstByName.get(rule.name)
    if (first === undefined) firstByName.set(rule.name, i)
    else report(`/rules/${i}/name`, `duplicate rule name ${quote(rule.name)} (already used by /rules/${first})`)
  })
}

function normaliseRateLimit (input: NonNullable<ScenarioInput['rateLimit']>, at: string, report: Report): RateLimitSettings {
  const windowMs = input.window === undefined ? DEFAULT_RATE_LIMIT_WINDOW_MS : durationMs(input.window, `${at}/window`, report)
  return { max: input.max, windowMs }
}

function normaliseRule (input: RuleInput, at: string, report: Report): Rule {
  const rule: Rule = {
    name: input.name,
    match: normaliseMatch(input.match ?? {}, `${at}/match`, report),
    after: input.after ?? 0,
    repeat: input.repeat ?? false,
  }
  if (input.description !== undefined) rule.description = input.description
  if (input.chance !== undefined) rule.chance = input.chance
  if (input.window !== undefined) rule.window = normaliseWindow(input.window, `${at}/window`, report)

  // Exactly one way to answer; the first one written wins, the others are problems.
  const kinds: Array<{ kind: 'sequence' | 'flap' | 'step'; key: string }> = []
  for (const key of Object.keys(input)) {
    const kind = key === 'sequence' || key === 'flap' ? key : STEP_KEYS.has(key) ? 'step' : undefined
    if (kind !== undefined && !kinds.some((k) => k.kind === kind)) kinds.push({ kind, key })
  }
  const [first, ...others] = kinds
  for (const other of others) {
    report(childPointer(at, other.key), `${quote(other.key)} cannot be combined with ${quote(first?.key ?? '')}: a rule takes one of sequence, flap, or step keys`, 'key')
  }
  const isStep = first?.kind === 'step' && ACTION_KEYS.some((k) => input[k] !== undefined)
  if (first === undefined || (first.kind === 'step' && !isStep)) {
    report(at, 'rule needs one of sequence, flap, or a step (status, fault, latency, pass)')
  } else if (first.kind === 'sequence' && input.sequence !== undefined) {
    const last = input.sequence.length - 1
    rule.steps = input.sequence.map((step, i) => {
      const times = i === last ? undefined : 1
      if (step === 'pass') return times === undefined ? { pass: true, commit: false } : { times, pass: true, commit: false }
      return normaliseStep(step, step.times ?? times, `${at}/sequence/${i}`, report)
    })
  } else if (first.kind === 'flap' && input.flap !== undefined) {
    rule.flap = normaliseFlap(input.flap, `${at}/flap`, report)
  } else if (isStep) {
    rule.steps = [normaliseStep(input, undefined, at, report)]
  }
  return rule
}

function normaliseStep (input: StepFieldsInput, times: number | undefined, at: string, report: Report): Step {
  const step: Step = { pass: input.pass === true, commit: input.commit === true }
  if (times !== undefined) step.times = times
  if (!ACTION_KEYS.some((k) => input[k] !== undefined)) {
    report(at, 'step does nothing: give it status, fault, latency, body or pass')
    return step
  }
  if (input.pass === true) {
    for (const key of NOT_WITH_PASS) {
      if (input[key] !== undefined) report(childPointer(at, key), `${quote(key)} cannot be combined with "pass"`, 'key')
    }
  }
  if (input.fault !== undefined) {
    const fault = normaliseFault(input.fault, `${at}/fault`, report)
    if (input.pass === true && faultKind(fault.type)?.withPass !== true) {
      report(`${at}/fault`, `fault ${fault.type} cannot be combined with "pass" (only truncate, malformed or drip can)`)
    }
    step.fault = fault
  }
  if (input.commit === true) {
    if (input.pass === true) {
      report(`${at}/commit`, '"commit" cannot be combined with "pass"', 'key')
    } else if (input.status === undefined && !(step.fault !== undefined && faultKind(step.fault.type)?.withCommit === true)) {
      report(`${at}/commit`, '"commit" needs "status" or a fault of type reset, empty, timeout or truncate', 'key')
    }
  }

  if (input.status !== undefined) step.status = input.status
  else if (input.body !== undefined && input.pass !== true) step.status = 200
  if (input.error !== undefined) step.error = input.error
  if (input.message !== undefined) step.message = input.message
  if (input.details !== undefined) step.details = input.details.map((d) => ({ field: d.field, message: d.message }))
  if (input.retryAfter !== undefined) step.retryAfter = retryAfterSeconds(input.retryAfter, `${at}/retryAfter`, report)
  if (input.headers !== undefined) step.headers = normaliseHeaders(input.headers, `${at}/headers`, report, true)
  if (input.body !== undefined) step.body = jsonCopy(input.body, `${at}/body`, report)
  if (input.latency !== undefined) {
    step.latency = normaliseLatency(input.latency, `${at}/latency`, report)
    // Only a delay: delay, then pass.
    if (input.status === undefined && input.fault === undefined && input.body === undefined) step.pass = true
  }
  return step
}

function normaliseFault (input: FaultInput, at: string, report: Report): TransportFault {
  const fault = typeof input === 'string' ? { type: input } : input
  const allowed = FAULT_OPTIONS[fault.type]
  for (const key of Object.keys(fault)) {
    if (key === 'type' || allowed.includes(key)) continue
    const takes = allowed.length === 0 ? 'it takes no options' : `it takes ${allowed.join(', ')}`
    report(childPointer(at, key), `${quote(key)} does not apply to fault type ${fault.type} (${takes})`, 'key')
  }
  switch (fault.type) {
    case 'timeout':
      return { type: 'timeout', holdMs: fault.hold === undefined ? DEFAULT_TIMEOUT_HOLD_MS : durationMs(fault.hold, `${at}/hold`, report) }
    case 'truncate':
      return { type: 'truncate', keep: fault.keep ?? DEFAULT_TRUNCATE_KEEP }
    case 'drip':
      return {
        type: 'drip',
        chunkBytes: fault.chunk ?? DEFAULT_DRIP_CHUNK_BYTES,
        everyMs: fault.every === undefined ? DEFAULT_DRIP_EVERY_MS : durationMs(fault.every, `${at}/every`, report),
      }
    default:
      return { type: fault.type }
  }
}

function normaliseLatency (input: LatencyInput, at: string, report: Report): Latency {
  if (typeof input !== 'object') {
    const ms = durationMs(input, at, report)
    return { minMs: ms, maxMs: ms }
  }
  const minMs = durationMs(input.min, `${at}/min`, report)
  const maxMs = durationMs(input.max, `${at}/max`, report)
  if (maxMs < minMs) report(`${at}/max`, 'must not be shorter than min')
  return { minMs, maxMs }
}

function normaliseWindow (input: NonNullable<RuleInput['window']>, at: string, report: Report): NonNullable<Rule['window']> {
  const startMs = input.start === undefined ? 0 : durationMs(input.start, `${at}/start`, report)
  if (input.end === undefined) return { startMs }
  const endMs = durationMs(input.end, `${at}/end`, report)
  if (endMs <= startMs) report(`${at}/end`, 'must be later than start')
  return { startMs, endMs }
}

function normaliseFlap (input: FlapInput, at: string, report: Report): Flap {
  const upMs = durationMs(input.up, `${at}/up`, report)
  const downMs = durationMs(input.down, `${at}/down`, report)
  if (upMs === 0) report(`${at}/up`, 'must be longer than 0')
  if (downMs === 0) report(`${at}/down`, 'must be longer than 0')
  return {
    upMs,
    downMs,
    statuses: [...(input.statuses ?? DEFAULT_FLAP_STATUSES)],
    retryAfter: input.retryAfter ?? true,
    startDown: input.startDown ?? false,
  }
}

function normaliseMatch (input: MatchInput, at: string, report: Report): Match {
  const match: Match = {}
  if (input.method !== undefined) match.methods = [...new Set([input.method].flat().map((m) => m.toUpperCase()))]
  if (input.path !== undefined) {
    checkPathPattern(input.path, `${at}/path`, report)
    match.path = input.path
  }
  if (input.query !== undefined) match.query = Object.fromEntries(Object.entries(input.query).map(([k, v]) => [k, String(v)]))
  if (input.headers !== undefined) match.headers = normaliseHeaders(input.headers, `${at}/headers`, report)
  if (input.apiKey !== undefined) match.apiKeys = [input.apiKey].flat()
  if (input.body !== undefined) match.body = jsonCopy(input.body, `${at}/body`, report)
  return match
}

function checkPathPattern (path: string, at: string, report: Report): void {
  const segments = path.split('/').slice(1)
  const problem = segments.map((segment, i) => {
    if (segment === '**') return i === segments.length - 1 ? undefined : '"**" can only be the last segment'
    if (segment.includes('*') && segment !== '*') return '"*" must be a whole segment'
    if (segment.startsWith(':') && !/^:[A-Za-z_][A-Za-z0-9_]*$/.test(segment)) return `${quote(segment)} is not a parameter; write ":name"`
    return undefined
  }).find((p) => p !== undefined)
  if (problem !== undefined) report(at, problem)
}

/** Response headers that frame the message: the mock sets them, a scenario may not. */
const FRAMING_HEADERS: ReadonlySet<string> = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'trailer', 'upgrade'])

function normaliseHeaders (input: Record<string, TextInput>, at: string, report: Report, response = false): Record<string, string> {
  const seen = new Set<string>()
  const entries = Object.entries(input).map(([name, value]): [string, string] => {
    const lower = name.toLowerCase()
    if (response && FRAMING_HEADERS.has(lower)) report(childPointer(at, name), `header ${quote(lower)} frames the message and is set by the mock; use a fault (truncate, drip, ...) to break framing`, 'key')
    if (seen.has(lower)) report(childPointer(at, name), `duplicate header ${quote(lower)} (header names ignore case)`, 'key')
    seen.add(lower)
    return [lower, String(value)]
  })
  return Object.fromEntries(entries)
}

function retryAfterSeconds (input: number | string, at: string, report: Report): number {
  return typeof input === 'number' ? input : Math.ceil(durationMs(input, at, report) / 1000)
}

/** A schema-checked duration in ms; longer than a timer can wait is a problem. */
function durationMs (input: DurationInput, at: string, report: Report): number {
  const ms = tryParseDuration(input)
  if (ms === undefined) {
    report(at, 'must be a duration such as 250ms, 2s, 1.5s, 1m or 1h')
    return 0
  }
  if (ms > MAX_DURATION_MS) report(at, `must be at most ${MAX_DURATION_MS}ms (about 24.8 days)`)
  return ms
}

/** A private copy of a JSON value; reports values JSON cannot carry, cycles and excessive depth. */
function jsonCopy (value: unknown, at: string, report: Report): unknown {
  const onPath = new Set<object>()
  const checked = new Set<object>()
  const check = (v: unknown, pointer: string, depth: number): boolean => {
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return true
    if (typeof v === 'number') {
      if (Number.isFinite(v)) return true
      report(pointer, 'must be a finite number')
      return false
    }
    if (typeof v !== 'object') {
      report(pointer, `must be JSON data, not ${typeof v}`)
      return false
    }
    if (onPath.has(v)) {
      report(pointer, 'must be JSON data, not a cycle')
      return false
    }
    if (checked.has(v)) return true
    if (depth >= MAX_BODY_DEPTH) {
      report(pointer, `is nested too deeply (limit ${MAX_BODY_DEPTH} levels)`)
      return false
    }
    const proto: unknown = Object.getPrototypeOf(v)
    if (!Array.isArray(v) && proto !== Object.prototype && proto !== null) {
      report(pointer, 'must be JSON data: plain objects, arrays, strings, numbers, booleans and null')
      return false
    }
    onPath.add(v)
    const ok = Object.entries(v).every(([k, item]) => check(item, childPointer(pointer, k), depth + 1))
    onPath.delete(v)
    checked.add(v)
    return ok
  }
  return check(value, at, 0) ? structuredClone(value) : value
}
