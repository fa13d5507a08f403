// The client projects in examples/ run their own test suites against the real server, exactly as
// their READMEs say.

import t from 'tap'
import { join } from 'node:path'
import { ensureBuilt, REPO_ROOT, run, userEnv } from './library/built.js'

const TS_EXAMPLE = join(REPO_ROOT, 'examples/typescript-client')
const PY_EXAMPLE = join(REPO_ROOT, 'examples/python-client')
const PYTHON = '/usr/bin/python3'

t.before(ensureBuilt)

t.test('the TypeScript client installs, builds and passes its node:test suite against aurion-mock', async (t) => {
  const install = await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: TS_EXAMPLE, env: userEnv() })
  t.equal(install.code, 0, 'npm install', { output: install.stdout + install.stderr })
  const test = await run('npm', ['test'], { cwd: TS_EXAMPLE, env: userEnv() })
  // node --test reports in TAP ("# pass 10") up to Node 22 when not on a terminal, in spec ("ℹ pass 10") from 23 on.
  const pass = Number(/^(?:#|ℹ) pass (\d+)$/m.exec(test.stdout)?.[1])
  const fail = Number(/^(?:#|ℹ) fail (\d+)$/m.exec(test.stdout)?.[1])
  t.equal(test.code, 0, 'npm test exits 0', { output: test.stdout + test.stderr })
  t.ok(pass >= 10, `its tests ran (${pass} passed)`)
  t.equal(fail, 0, 'none failed')
})

const python = await run(PYTHON, ['-c', 'import pytest, requests']).catch((err: Error) => ({ code: -1, stderr: err.message }))
const pythonMissing = python.code === 0 || process.env.CI === 'true'
  ? false
  : `${PYTHON} cannot import pytest and requests: apt-get install python3-pytest python3-requests to run it (CI always runs it)`

t.test('the Python client passes its pytest suite against aurion-mock, through the pytest plugin', { skip: pythonMissing }, async (t) => {
  t.equal(python.code, 0, `${PYTHON} imports pytest and requests (Debian packages python3-pytest, python3-requests)`, { output: python.stderr })
  const test = await run(PYTHON, ['-m', 'pytest', '-v', '-p', 'no:cacheprovider'], {
    cwd: PY_EXAMPLE,
    env: userEnv({ PYTHONDONTWRITEBYTECODE: '1', PYTHONPATH: join(REPO_ROOT, 'python') })
  })
  const passed = Number(/= (\d+) passed in /m.exec(test.stdout)?.[1])
  t.equal(test.code, 0, 'pytest exits 0', { output: test.stdout + test.stderr })
  t.ok(passed >= 14, `its tests ran (${passed} passed)`)
  t.notMatch(test.stdout, /= .*\b(failed|errors?)\b.* in /, 'none failed')
})
