// The library inside two more test runners, each run as its own process, as a user's CI runs it:
// node:test (runners/node-test.mjs) and vitest (runners/vitest.spec.mjs). Both import
// 'aurion-mock' by name, which resolves to this package's build.

import t from 'tap'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ensureBuilt, REPO_ROOT, run } from '../dist/built.js'

const RUNNERS = join(REPO_ROOT, 'test/library/runners')

t.before(ensureBuilt)

t.test('a node:test suite starts servers in before() and passes', async (t) => {
  const result = await run(process.execPath, ['--test', '--test-reporter=tap', join(RUNNERS, 'node-test.mjs')], { cwd: REPO_ROOT })
  const count = (name: string) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(result.stdout)?.[1])
  t.equal(result.code, 0, 'node --test exits 0', { output: result.stdout + result.stderr })
  t.equal(count('pass'), 3, 'three tests passed')
  t.equal(count('fail'), 0, 'none failed')
})

t.test('a vitest suite starts servers in beforeAll and passes', async (t) => {
  const dir = t.testdir()
  const outputFile = join(dir, 'vitest.json')
  const result = await run('npx', ['vitest', 'run', '--root', RUNNERS, '--reporter=json', `--outputFile=${outputFile}`], { cwd: REPO_ROOT })
  t.equal(result.code, 0, 'vitest run exits 0', { output: result.stdout + result.stderr })
  const summary = JSON.parse(readFileSync(outputFile, 'utf8')) as { success: boolean; numPassedTests: number; numFailedTests: number }
  t.equal(summary.success, true)
  t.equal(summary.numPassedTests, 2, 'two tests passed')
  t.equal(summary.numFailedTests, 0, 'none failed')
})
