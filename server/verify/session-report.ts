// The retry report of one session, graded by the scenario its requests last met.

import type { ScenarioRegistry } from '../scenario/registry.js'
import type { StateStore } from '../store/types.js'
import { normaliseExpect } from '../expect/index.js'
import { buildRetryReport, type RetryReport } from './report.js'

export async function sessionReport (store: StateStore, scenarios: ScenarioRegistry, id: string): Promise<RetryReport> {
  // Reading a report never creates the session.
  const session = await store.find(id)
  const entries = await session?.journal() ?? []
  const deliveries = await session?.deliveries() ?? []
  // The scenario of the last request (X-Mock-Scenario or the active one) sets the expectations.
  const name = entries[entries.length - 1]?.scenario ?? await store.activeScenario(id)
  const scenario = (name === undefined ? undefined : scenarios.get(name, id)) ?? scenarios.default
  return buildRetryReport(entries, scenario.scenario.expect ?? normaliseExpect(undefined), { session: id, deliveries })
}
