// The client projects in examples/ run their own test suites against the real server, exactly as
// their READMEs say.

import t from 'tap'
import { join } from 'node:path'
import { ensureBuilt, REPO_ROOT, run } from './dist/built.js'

const TS_EXAMPLE = join(REPO_ROOT, 'examples/typescript-client')
const PY_EXAMPLE = join(REPO_ROOT, 'examples/python-client')
const PYTHON = '/usr/bin/python3'

t.before(ensureBuilt)

t.test('the TypeScript client installs, builds and passes its node:test suite against aurion-mock', async (t) => {
  const install = await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: TS_EXAMPLE })
  t.equal(install.code, 0, 'npm install', { output: install.stdout + install.stderr })
  const test = await run('npm', ['test'], { cwd: TS_EXAMPLE })
  const pass = Number(/^# pass (\d+)$/m.exec(test.stdout)?.[1])
  const fail = Number(/^# fail (\d+)$/m.exec(test.stdout)?.[1])
  t.equal(test.code, 0, 'npm test exits 0', { output: test.stdout + test.stderr })
  t.ok(pass >= 10, `its tests ran (${pass} passed)`)
  t.equal(fail, 0, 'none failed')
})

t.test('the Python client passes its unittest suite against aurion-mock', async (t) => {
  const probe = await run(PYTHON, ['-c', 'import requests'])
  if (probe.code !== 0 && process.env.CI !== 'true') {
    t.skip(`${PYTHON} cannot import requests: apt-get install python3-requests to run this (it always runs in CI)`)
    return
  }
  t.equal(probe.code, 0, `${PYTHON} imports requests (Debian package python3-requests)`, { output: probe.stderr })
  const test = await run(PYTHON, ['-m', 'unittest', '-v'], { cwd: PY_EXAMPLE, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } })
  const ran = Number(/^Ran (\d+) tests? in /m.exec(test.stderr)?.[1])
  t.equal(test.code, 0, 'unittest exits 0', { output: test.stderr + test.stdout })
  t.ok(ran >= 8, `its tests ran (${ran})`)
  t.match(test.stderr, /^OK$/m, 'unittest says OK')
})
