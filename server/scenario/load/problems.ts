// Problems found while loading a scenario, and where they are: JSON pointers, places in the text
// (line, column, document order), and the list that collects them into a LoadResult.

import type { LoadResult, Problem } from '../problem.js'
import type { Scenario } from '../types.js'

export type Anchor = 'key' | 'value'
export interface Place { line: number; column: number; order: number[] }
export type Locate = (pointer: string, anchor: Anchor) => Place
/** Reports a problem at the value (or key) that `pointer` names. */
export type Report = (pointer: string, message: string, anchor?: Anchor) => void

interface Found extends Place { pointer: string; message: string }

export class ProblemList {
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

/** A result with one problem at a place, for what stops loading before the document is read. */
export function failAt (file: string, line: number, column: number, message: string): LoadResult {
  return { ok: false, problems: [{ file, line, column, message, pointer: '' }] }
}

export function messageOf (error: unknown): string {
  return error instanceof Error ? error.message : String(error)
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

export function childPointer (parent: string, key: string | number): string {
  return `${parent}/${escapePointer(String(key))}`
}

export function splitPointer (pointer: string): string[] {
  if (pointer === '') return []
  return pointer.slice(1).split('/').map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
}

/** Document order for an object: the index of each key or item along the pointer. */
export function objectLocator (root: unknown): Locate {
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

export function isRecord (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A value quoted for a message, cut to a readable length. */
export function quote (text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text)
}
