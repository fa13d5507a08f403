// The pytest plugin (python/aurion_mock_pytest) in a real pytest run on a small client project
// (test/python/project), with Debian's python3-pytest and python3-requests: the plugin starts the
// server itself, or uses the one at AURION_MOCK_URL. A client that follows the guidance passes; the
// same test with a client that retries a 503 at once fails with the report's explanation.

import t from 'tap'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { startMockServer } from '../../server/index.js'
import { DIST_BIN, ensureBuilt, REPO_ROOT, run, userEnv } from '../library/built.js'

const PYTHON = '/usr/bin/python3'
const PROJECT = join(REPO_ROOT, 'test/python/project')
const EXPLANATION = /backoff: retry 1 came [\d.]+ s after attempt 1 ended in a 503; it had to wait at least 1 s/

const probe = await run(PYTHON, ['-c', 'import pytest, requests']).catch((err: Error) => ({ code: -1, stderr: err.message }))
const missing = probe.code === 0 || process.env.CI === 'true'
  ? false
  : `${PYTHON} cannot import pytest and requests: apt-get install python3-pytest python3-requests to run it (CI always runs it)`

/** pytest on the project, with the plugin from python/ loaded as a vendored copy would be. */
async function pytest (args: string[], env: Record<string, string>) {
  const result = await run(PYTHON, ['-m', 'pytest', '-p', 'aurion_mock_pytest', '-p', 'no:cacheprovider', '-rA', ...args], {
    cwd: PROJECT,
    env: userEnv({ PYTHONPATH: join(REPO_ROOT, 'python'), PYTHONDONTWRITEBYTECODE: '1', ...env })
  })
  return { ...result, output: result.stdout + result.stderr }
}

t.before(ensureBuilt)

t.test('the plugin starts the server, passes the patient client and fails the hasty one with the report', { skip: missing }, async (t) => {
  t.equal(probe.code, 0, `${PYTHON} imports pytest and requests`, { output: probe.stderr })
  const result = await pytest([], { AURION_MOCK_CMD: `${process.execPath} ${DIST_BIN}` })
  t.equal(result.code, 1, 'pytest exits 1', { output: result.output })
  t.match(result.output, /^PASSED test_readme\.py::test_lists_users_through_a_503$/m)
  t.match(result.output, /^FAILED test_twin\.py::test_lists_users_through_a_503/m)
  t.match(result.output, /= 1 failed, 1 passed in /)
  t.match(result.output, EXPLANATION, 'the failure is the report\'s explanation')
})

t.test('with AURION_MOCK_URL it uses the running server, a session per test named after it', { skip: missing }, async (t) => {
  const mock = await startMockServer({ scenario: join(REPO_ROOT, 'test/library/sessions/flaky-users.yaml') })
  t.teardown(() => mock.close())
  const result = await pytest(['test_twin.py'], { AURION_MOCK_URL: mock.url, AURION_MOCK_CMD: 'false' })
  t.equal(result.code, 1, 'the hasty test fails', { output: result.output })
  t.match(result.output, EXPLANATION)
  const { sessions } = await (await fetch(`${mock.url}/__mock/sessions`)).json() as { sessions: string[] }
  t.equal(sessions.length, 1)
  t.match(sessions[0], /^test_lists_users_through_a_503@\d+\.1$/)
  t.same((await mock.journal(sessions[0])).map((e) => e.status), [503, 200], 'its requests went through its base URL')
})

t.test('the README\'s pytest snippet is test_readme.py, as written, in at most 10 lines', async (t) => {
  const readme = existsSync(join(REPO_ROOT, 'README.md')) ? readFileSync(join(REPO_ROOT, 'README.md'), 'utf8') : ''
  const m = /<!-- readme-snippet: runner-pytest -->\s*```\w*\n([\s\S]*?)```/.exec(readme)
  t.ok(m, 'README has the snippet runner-pytest')
  t.equal(m?.[1], readFileSync(join(PROJECT, 'test_readme.py'), 'utf8'))
  t.ok((m?.[1] ?? '').trimEnd().split('\n').length <= 10)
})
