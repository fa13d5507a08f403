// The scenario validators come from a file made at build time; it must be the code Ajv makes
// from the schema now, and give the errors the compiled-on-use validators give.

import t from 'tap'
import { existsSync, readFileSync } from 'node:fs'
import { createScenarioAjv, standaloneValidatorsCode } from '../../server/scenario/validators.js'

// The built module, so its file is the one `npm run build` wrote (npm test builds first).
const built = await import('../../dist/server/scenario/validators.js') as typeof import('../../server/scenario/validators.js')

t.test('the prebuilt validators are the standalone code of the current schema', async (t) => {
  const file = built.prebuiltValidatorsFile()
  t.ok(existsSync(file), `${file} was built`)
  t.equal(readFileSync(file, 'utf8'), standaloneValidatorsCode())
})

t.test('prebuilt and compiled validators give the same verdicts and errors', async (t) => {
  const prebuilt = built.scenarioValidators()
  const ajv = createScenarioAjv()
  const compiled = { scenario: ajv.getSchema('scenario')!, rule: ajv.getSchema('rule')! }
  const docs: unknown[] = [
    { version: 1, name: 'ok', rules: [{ name: 'a', match: { method: 'GET', path: '/api/v1/tickets' }, status: 503 }] },
    { version: 1, name: 'typo', rules: [{ name: 'a', match: { path: '/x' }, statu: 500 }] },
    { version: 2, nme: 'x' },
    { version: 1, name: 'types', rules: [{ name: 'a', match: { path: 3 }, steps: [{ times: 'x' }] }] },
    'not an object'
  ]
  let invalid = 0
  for (const doc of docs) {
    for (const kind of ['scenario', 'rule'] as const) {
      const verdict = compiled[kind](doc)
      t.equal(prebuilt[kind](doc), verdict, `${kind} verdict`)
      t.same(prebuilt[kind].errors ?? null, compiled[kind].errors ?? null, `${kind} errors`)
      if (!verdict) invalid++
    }
  }
  t.ok(invalid >= 6, 'the documents include invalid ones')
})
