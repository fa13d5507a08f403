// Test support: the scenario files beside the tests, and the mock's retry report for a session.

import { fileURLToPath } from 'node:url'
import type { MockServer } from 'aurion-mock'

/** The bundled test key with every scope. */
export const API_KEY = 'ak_live_mock_full_access_0001'

/** A scenario file in test/scenarios (the tests run from dist/test, the YAML stays in test/). */
export function scenarioFile (name: string): string {
  return fileURLToPath(new URL(`../../test/scenarios/${name}`, import.meta.url))
}

export interface CheckResult { name: string; passed: boolean; message: string }
/** One attempt as the report shows it: `gapMs` waited, `backoffMs` the least it had to wait. */
export interface Attempt { n: number; status: number; gapMs?: number; backoffMs?: number }
export interface RetryReport {
  operations: { method: string; path: string; outcome: string; attempts: Attempt[]; checks: CheckResult[]; ok: boolean }[]
  sessionChecks: CheckResult[]
  /** How our webhook receivers answered the session's deliveries, when there were any. */
  receiver?: { attempts: number; events: number; checks: CheckResult[]; ok: boolean }
  summary: { operations: number; checks: number; passed: number; failed: number; ok: boolean }
}

/** GET /__mock/report: how the session's requests measure up to the Aurion retry guidance. */
export async function retryReport (mock: MockServer, session: string): Promise<RetryReport> {
  const res = await fetch(`${mock.url}/__mock/report?session=${encodeURIComponent(session)}`)
  if (!res.ok) throw new Error(`report: HTTP ${res.status}`)
  return await res.json() as RetryReport
}

/** Every failed check of a report, one per line, for assertion messages. */
export function failures (report: RetryReport): string {
  return [...report.operations.flatMap((op) => op.checks), ...report.sessionChecks, ...report.receiver?.checks ?? []]
    .filter((c) => !c.passed).map((c) => `${c.name}: ${c.message}`).join('\n')
}
