// aurion-mock/node-test: each node:test test its own mock session, named after it; opt-in, the
// test fails with the retry report when its client broke the policy.

import type { MockSession } from '../library/session.js'
import { openTestSession, type MockSource, type TestSessionOptions } from './test-session.js'

export type { MockSession } from '../library/session.js'
export type { MockSource, TestSessionOptions } from './test-session.js'

/** The parts of node:test's TestContext used here. */
export interface NodeTestContext {
  readonly name: string
  /** The name with its suites (Node 22.3+, 20.16+). */
  readonly fullName?: string
  after (fn: () => unknown): void
}

/** A session for test `t` on `mock`; with `assertPolicy`, checked when the test ends (a failing after hook fails the test). */
export async function mockSession (t: NodeTestContext, mock: MockSource, options: TestSessionOptions = {}): Promise<MockSession> {
  const session = await openTestSession(mock, t.fullName ?? t.name, options)
  if (options.assertPolicy === true) t.after(async () => { await session.assertPolicy() })
  return session
}
