// Requests refused before they reach a session (401, 403, a malformed path): counted, with a
// short ring of the latest, so a flood of keyless requests costs a fixed amount of memory.

import { clip } from '../util/text.js'

export const DEFAULT_RECENT_REJECTIONS = 20
/** Paths are cut to this many characters in the ring; a 14 KB path keeps 200 of them. */
export const MAX_REJECTED_PATH_CHARS = 200

export interface Rejection {
  at: number
  method: string
  path: string
  status: number
  error: string
}

export interface RejectionSummary {
  total: number
  byStatus: Record<string, number>
  recent: Rejection[]
}

export class RejectionLog {
  #total = 0
  #byStatus = new Map<number, number>()
  #recent: Rejection[] = []
  readonly #keep: number

  constructor (keep = DEFAULT_RECENT_REJECTIONS) {
    this.#keep = keep
  }

  record (at: number, method: string, path: string, status: number, error: string): void {
    this.#total++
    this.#byStatus.set(status, (this.#byStatus.get(status) ?? 0) + 1)
    this.#recent.push({ at, method: clip(method, 16), path: clip(path, MAX_REJECTED_PATH_CHARS), status, error })
    if (this.#recent.length > this.#keep) this.#recent.shift()
  }

  summary (): RejectionSummary {
    return {
      total: this.#total,
      byStatus: Object.fromEntries([...this.#byStatus].map(([status, n]) => [String(status), n])),
      recent: this.#recent.map((r) => ({ ...r }))
    }
  }

  clear (): void {
    this.#total = 0
    this.#byStatus.clear()
    this.#recent = []
  }
}
