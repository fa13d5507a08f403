// What the runner helpers share: a session id made from a test's name that no other test, worker
// or process in the run can also make, and that session, opened clean on an in-process server or,
// by URL, on one running elsewhere.

import { threadId } from 'node:worker_threads'
import { sessionAt, type MockSession } from '../library/session.js'

/** A server started with startMockServer (anything with `session(name)`), or the URL of a running one. */
export type MockSource = { session (name: string): MockSession } | string

export interface TestSessionOptions {
  /** Fail the test with the retry report's text when its client broke the policy. Default false. */
  assertPolicy?: boolean
  /** The admin token of a server given by URL (default: AURION_MOCK_ADMIN_TOKEN). */
  adminToken?: string
}

/** Room left in a 128-character id for `@<pid>.<thread>.<n>`. */
const MAX_TITLE = 80
let opened = 0

/**
 * `<test title>@<pid>.<thread>.<n>`: the title made id-safe and cut to 80 characters, then this
 * process, worker thread and a counter, so parallel workers and same-named tests never share.
 */
export function testSessionName (title: string): string {
  const slug = title.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '').slice(0, MAX_TITLE)
  return `${slug === '' ? 'test' : slug}@${process.pid}.${threadId}.${++opened}`
}

/** A new session named after the test, reset first in case a server outlived an earlier run. */
export async function openTestSession (source: MockSource, title: string, options: TestSessionOptions = {}): Promise<MockSession> {
  const name = testSessionName(title)
  const token = options.adminToken ?? process.env.AURION_MOCK_ADMIN_TOKEN
  const session = typeof source === 'string' ? sessionAt(source, name, token === undefined ? {} : { adminToken: token }) : source.session(name)
  await session.reset()
  return session
}
