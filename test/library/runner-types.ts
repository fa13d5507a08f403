// Checked by `npm run typecheck`, never run: each runner helper takes its runner's own test
// context, as the runner's types declare it.

import type { TestContext as NodeTestContext } from 'node:test'
import type { Test } from 'tap'
import type { TestContext as VitestContext } from 'vitest'
import type { MockServer, MockSession } from '../../server/index.js'
import { mockSession as nodeTestSession } from '../../server/runners/node-test.js'
import { mockSessions } from '../../server/runners/tap.js'
import { mockSession as vitestSession } from '../../server/runners/vitest.js'

export async function sessionsFromEachRunner (node: NodeTestContext, vitest: VitestContext, tap: Test, mock: MockServer): Promise<MockSession[]> {
  const sessionOf = mockSessions(tap, () => mock, { assertPolicy: true })
  return [await nodeTestSession(node, mock.url), await vitestSession(vitest, mock, { assertPolicy: true }), sessionOf(tap)]
}
