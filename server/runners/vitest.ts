// aurion-mock/vitest: each Vitest test its own mock session, named after it; opt-in, the test fails
// with the retry report when its client broke the policy.

import type { MockSession } from '../library/session.js'
import { openTestSession, type MockSource, type TestSessionOptions } from './test-session.js'

export type { MockSession } from '../library/session.js'
export type { MockSource, TestSessionOptions } from './test-session.js'

/** A suite or file task; a file has a `filepath`. */
interface SuiteTask {
  readonly name: string
  readonly suite?: SuiteTask | undefined
}

/** The parts of Vitest's test context used here. */
export interface VitestContext {
  readonly task: { readonly name: string; readonly suite?: SuiteTask | undefined }
  onTestFinished (fn: () => unknown): void
}

/** `describe > test`, without the file. */
function titleOf (task: VitestContext['task']): string {
  const names = [task.name]
  for (let s = task.suite; s !== undefined && !('filepath' in s); s = s.suite) names.unshift(s.name)
  return names.join(' > ')
}

/** A session for the test whose context is `ctx`; with `assertPolicy`, checked in onTestFinished (an error there fails the test). */
export async function mockSession (ctx: VitestContext, mock: MockSource, options: TestSessionOptions = {}): Promise<MockSession> {
  const session = await openTestSession(mock, titleOf(ctx.task), options)
  if (options.assertPolicy === true) ctx.onTestFinished(async () => { await session.assertPolicy() })
  return session
}
