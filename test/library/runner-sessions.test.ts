// The runner helpers (aurion-mock/node-test, /vitest, /tap) inside real runs of each runner, as a
// user's CI runs them: two files per runner in parallel worker processes against one server, each
// file with the same test, one with a client that follows the guidance and one that retries a 503
// at once. The first passes; the second fails with the report's explanation; no two share a session.
// The readme-* files are the README's snippets.

import t from 'tap'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { startMockServer, type MockServer } from '../../server/index.js'
import { ensureBuilt, REPO_ROOT, run, userEnv } from './built.js'

const DIR = join(REPO_ROOT, 'test/library/sessions')
const TITLE = 'lists-users-through-a-503'
const EXPLANATION = /backoff: retry 1 came [\d.]+ s after attempt 1 ended in a 503; it had to wait at least 1 s/

let mock: MockServer
t.before(async () => {
  await ensureBuilt()
  mock = await startMockServer({ scenario: join(DIR, 'flaky-users.yaml') })
})
t.teardown(() => mock.close())

const env = () => userEnv({ AURION_MOCK_URL: mock.url })

t.test('each runner passes the patient client and fails the hasty one with the report', async (t) => {
  const outputFile = join(t.testdir(), 'vitest.json')
  // The three runners at once: their workers share the server, as parallel CI jobs would.
  const [nodeTest, vitest, tapGood, tapHasty] = await Promise.all([
    run(process.execPath, ['--test', '--test-reporter=tap', 'readme-node-test.mjs', 'twin-node-test.mjs'], { cwd: DIR, env: env() }),
    run(join(REPO_ROOT, 'node_modules/.bin/vitest'), ['run', '--root', DIR, '--reporter=json', `--outputFile=${outputFile}`], { cwd: REPO_ROOT, env: env() }),
    run(process.execPath, ['readme-tap.mjs'], { cwd: DIR, env: env() }),
    run(process.execPath, ['twin-tap.mjs'], { cwd: DIR, env: env() })
  ])

  t.test('node:test', async (t) => {
    const out = nodeTest.stdout + nodeTest.stderr
    t.equal(nodeTest.code, 1, 'node --test exits 1', { output: out })
    t.match(out, /^# pass 1$/m)
    t.match(out, /^# fail 1$/m)
    t.match(out, /not ok \d+ - lists users through a 503\n[\s\S]*?twin-node-test\.mjs[\s\S]*?failureType: 'hookFailed'/, 'the hasty file\'s test failed')
    t.match(out, EXPLANATION, 'with the report\'s explanation')
  })

  t.test('vitest', async (t) => {
    t.equal(vitest.code, 1, 'vitest run exits 1', { output: vitest.stdout + vitest.stderr })
    const summary = JSON.parse(readFileSync(outputFile, 'utf8')) as {
      numPassedTests: number
      numFailedTests: number
      testResults: Array<{ name: string; assertionResults: Array<{ status: string; failureMessages: string[] }> }>
    }
    t.equal(summary.numPassedTests, 1)
    t.equal(summary.numFailedTests, 1)
    const hasty = summary.testResults.find((r) => r.name.endsWith('twin.spec.mjs'))
    t.equal(hasty?.assertionResults[0]?.status, 'failed', 'the hasty file\'s test failed')
    t.match(hasty?.assertionResults[0]?.failureMessages.join('\n'), EXPLANATION, 'with the report\'s explanation')
  })

  t.test('tap', async (t) => {
    t.equal(tapGood.code, 0, 'the patient file passes', { output: tapGood.stdout + tapGood.stderr })
    t.equal(tapHasty.code, 1, 'the hasty file fails', { output: tapHasty.stdout })
    t.match(tapHasty.stdout, /^not ok 1 - lists users through a 503/m, 'its subtest failed')
    t.match(tapHasty.stdout, EXPLANATION, 'with the report\'s explanation')
  })

  t.test('every test had its own session, named after it, with its own requests', async (t) => {
    const sessions = (await (await fetch(`${mock.url}/__mock/sessions`)).json() as { sessions: string[] }).sessions
    t.equal(sessions.length, 6, 'six tests, six sessions')
    t.equal(new Set(sessions).size, 6, 'all different')
    for (const id of sessions) {
      t.match(id, new RegExp(`^${TITLE}@\\d+\\.\\d+\\.\\d+$`), `${id} is named after its test and worker`)
      const statuses = (await mock.journal(id)).map((e) => e.status)
      t.same(statuses, [503, 200], `${id} saw only its own test's requests`)
    }
  })
})

/** README snippet name → the file that runs it. */
const SNIPPETS: Record<string, string> = {
  'runner-node-test': 'test/library/sessions/readme-node-test.mjs',
  'runner-vitest': 'test/library/sessions/readme.spec.mjs',
  'runner-tap': 'test/library/sessions/readme-tap.mjs'
}

t.test('the README\'s runner snippets are the files run here, as written, in at most 10 lines', async (t) => {
  const readme = existsSync(join(REPO_ROOT, 'README.md')) ? readFileSync(join(REPO_ROOT, 'README.md'), 'utf8') : ''
  for (const [name, file] of Object.entries(SNIPPETS)) {
    const m = new RegExp(`<!-- readme-snippet: ${name} -->\\s*\`\`\`\\w*\\n([\\s\\S]*?)\`\`\``).exec(readme)
    t.ok(m, `README has the snippet ${name}`)
    if (m === null) continue
    t.equal(m[1], readFileSync(join(REPO_ROOT, file), 'utf8'), `snippet ${name} is ${file}`)
    t.ok(m[1]!.trimEnd().split('\n').length <= 10, `${name} is at most 10 lines`)
  }
})
