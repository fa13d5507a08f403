// Scenario YAML → plain data, with every YAML problem located: syntax errors, duplicate keys,
// unsupported tags, keys that are not text. Refuses what could hurt the process before parsing
// (nesting deeper than the parser can recurse) and after (aliases expanding past the size limit).

import {
  CST, Lexer, LineCounter, isMap, isNode, isScalar, isSeq, isAlias, parseDocument, type Document, type Pair,
} from 'yaml'
import type { LoadResult } from '../problem.js'
import { childPointer, failAt, messageOf, ProblemList, quote, splitPointer, type Anchor, type Place } from './problems.js'

// The yaml composer recurses once per nesting level; near the stack limit (~700 levels) V8 can abort
// the whole process instead of throwing, so deeper text is refused before it is parsed.
const MAX_YAML_NESTING = 256
const MAX_YAML_ALIASES = 100

/** The data of a YAML text, with the problem list (located in the text) that later checks add to; or the result when it is unusable. */
export type YamlRead = { ok: true; data: unknown; problems: ProblemList } | { ok: false; result: LoadResult }

/** Parses scenario YAML; `maxBytes` bounds the text and what its aliases expand to. */
export function readYaml (text: string, source: string, maxBytes: number): YamlRead {
  const bytes = Buffer.byteLength(text)
  if (bytes > maxBytes) return { ok: false, result: failAt(source, 1, 1, `scenario too large (${bytes} bytes; limit ${maxBytes})`) }
  const deepAt = findDeepNesting(text)
  if (deepAt !== undefined) {
    const { line, column } = positionOf(text, deepAt)
    return { ok: false, result: failAt(source, line, column, `YAML nested too deeply (indentation plus brackets over ${MAX_YAML_NESTING})`) }
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
  const stop = (): YamlRead => ({ ok: false, result: problems.finish(source, undefined) })
  if (reportYamlIssues(doc, text, place, problems)) return stop()
  if (doc.contents === null) {
    problems.report('', 'scenario is empty: expected a mapping with version, name and rules')
    return stop()
  }
  let data: unknown
  try {
    data = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES })
  } catch (error) {
    problems.report('', `could not read the YAML: ${messageOf(error)}`)
    return stop()
  }
  // The size limit holds for what the aliases expand to, not only for the text.
  const expanded = JSON.stringify(data)?.length ?? 0
  if (expanded > maxBytes) {
    problems.report('', `scenario too large once its aliases are expanded (${expanded} characters; limit ${maxBytes})`)
    return stop()
  }
  return { ok: true, data, problems }
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
