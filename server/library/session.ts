// One test's session on a mock: the base URL and header that put a client in it, its report,
// journal and reset, and the opt-in assertion that its client met the retry policy. Works on a
// server started in this process or, through the admin API, on one running elsewhere.

import { RetryPolicyError } from '../errors.js'
import { SESSION_HEADER, SESSION_ID } from '../http/context.js'
import type { JournalEntry } from '../store/types.js'
import type { RetryReport } from '../verify/report.js'

export interface MockSession {
  /** The session id. */
  readonly id: string
  /** `<mock url>/s/<id>`: the API in this session, for a client that takes only a base URL. */
  readonly baseUrl: string
  /** `{ 'x-mock-session': id }`, for a client that takes headers and the mock's own URL. */
  readonly headers: Readonly<Record<string, string>>
  /** The retry report of the session's requests. */
  report (): Promise<RetryReport>
  journal (): Promise<JournalEntry[]>
  /** Forgets the session's state: counters, records, journal. */
  reset (): Promise<void>
  /** Resolves with the report when the client met its policy; otherwise throws a RetryPolicyError whose message is the report's text. */
  assertPolicy (): Promise<RetryReport>
}

/** What a session reads its state through: the server's store, or its admin API. */
export interface SessionBackend {
  report (id: string): Promise<RetryReport>
  journal (id: string): Promise<JournalEntry[]>
  reset (id: string): Promise<void>
}

/** A handle on session `id` of the mock at `url`. Throws on an id the mock would refuse. */
export function sessionHandle (url: string, id: string, backend: SessionBackend): MockSession {
  if (!SESSION_ID.test(id) || id === '.' || id === '..') throw new TypeError(`session id must be 1-128 letters, digits or ._:@- (got ${JSON.stringify(id)})`)
  return Object.freeze({
    id,
    baseUrl: `${url.replace(/\/+$/, '')}/s/${id}`,
    headers: Object.freeze({ [SESSION_HEADER]: id }),
    report: () => backend.report(id),
    journal: () => backend.journal(id),
    reset: () => backend.reset(id),
    async assertPolicy () {
      const report = await backend.report(id)
      if (report.summary.ok) return report
      // Loaded on the first failure: a passing suite never needs the text formatter.
      const { formatTextReport } = await import('../verify/text.js')
      throw new RetryPolicyError(formatTextReport(report), report)
    }
  })
}

/** The admin API of a mock at `url` as a session backend (`token`: its --admin-token, if any). */
export function adminBackend (url: string, token?: string): SessionBackend {
  const headers: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` }
  const admin = async (method: string, path: string, id: string): Promise<unknown> => {
    const res = await fetch(`${url.replace(/\/+$/, '')}/__mock/${path}?session=${encodeURIComponent(id)}`, { method, headers })
    if (!res.ok) throw new Error(`aurion-mock at ${url} answered ${res.status} to ${method} /__mock/${path}: ${await res.text()}`)
    return await res.json()
  }
  return {
    report: async (id) => await admin('GET', 'report', id) as RetryReport,
    journal: async (id) => (await admin('GET', 'journal', id) as { entries: JournalEntry[] }).entries,
    reset: async (id) => { await admin('POST', 'reset', id) }
  }
}

/** Session `id` of a mock running elsewhere (`npx aurion-mock`, a container), read through its admin API. */
export function sessionAt (url: string, id: string, options: { adminToken?: string } = {}): MockSession {
  return sessionHandle(url, id, adminBackend(url, options.adminToken))
}
