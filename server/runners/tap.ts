// aurion-mock/tap: each node-tap subtest its own mock session, named after it; opt-in, the subtest
// fails with the retry report when its client broke the policy. tap fails a subtest for an error in
// its parent's afterEach (an error in its own teardown fails only the file), so the helper hooks the
// parent.

import { RetryPolicyError } from '../errors.js'
import type { MockSession } from '../library/session.js'
import { openTestSession, type MockSource, type TestSessionOptions } from './test-session.js'

export type { MockSession } from '../library/session.js'
export type { MockSource, TestSessionOptions } from './test-session.js'

/** The parts of a tap subtest used here. */
export interface TapSubtest {
  readonly name: string
}

/** The parts of a tap test used here: the parent whose subtests get sessions. */
export interface TapParent<T extends TapSubtest> {
  beforeEach (fn: (t: T) => unknown): void
  afterEach (fn: (t: T) => unknown): void
}

/**
 * Gives every subtest of `t` its own session on `mock` (the server, its URL, or a function returning
 * either, for a server started in t.before); returns the look-up: `sessionOf(t)` inside a subtest.
 */
export function mockSessions<T extends TapSubtest> (t: TapParent<T>, mock: MockSource | (() => MockSource), options: TestSessionOptions = {}): (t: T) => MockSession {
  const sessions = new WeakMap<T, MockSession>()
  t.beforeEach(async (sub) => {
    sessions.set(sub, await openTestSession(typeof mock === 'function' ? mock() : mock, sub.name, options))
  })
  if (options.assertPolicy === true) {
    t.afterEach(async (sub) => {
      const session = sessions.get(sub)
      try {
        await session?.assertPolicy()
      } catch (err) {
        // tap puts a message on one line: a short one, and the report's lines as a diagnostic.
        if (!(err instanceof RetryPolicyError)) throw err
        throw Object.assign(new Error(`the client broke its retry policy in aurion-mock session ${session?.id ?? ''}`), { report: err.message })
      }
    })
  }
  return (sub) => {
    const session = sessions.get(sub)
    if (session === undefined) throw new Error(`no aurion-mock session for "${sub.name}": call mockSessions() on its parent test`)
    return session
  }
}
