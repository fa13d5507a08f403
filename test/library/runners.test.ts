// The library inside two more test runners, each run as its own process, as a user's CI runs it:
// node:test (runners/*.mjs) and vitest (runners/*.spec.mjs). They import 'aurion-mock' by name,
// which resolves to this package's build. The readme-* files are the README's snippets.

import t from 'tap'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ensureBuilt, REPO_ROOT, run } from './built.js'

const RUNNERS = join(REPO_ROOT, 'test/library/runners')

t.before(ensureBuilt)

t.test('a node:test suite starts servers in before() and passes', async (t) => {
  const files = [join(RUNNERS, 'node-test.mjs'), join(RUNNERS, 'readme-node-test.mjs')]
  const result = await run(process.execPath, ['--test', '--test-reporter=tap', ...files], { cwd: REPO_ROOT })
  const count = (name: string) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(result.stdout)?.[1])
  t.equal(result.code, 0, 'node --test exits 0', { output: result.stdout + result.stderr })
  t.equal(count('pass'), 4, 'four tests passed')
  t.equal(count('fail'), 0, 'none failed')
})

t.test('a vitest suite starts servers in beforeAll and passes', async (t) => {
  const dir = t.testdir()
  const outputFile = join(dir, 'vitest.json')
  const result = await run('npx', ['vitest', 'run', '--root', RUNNERS, '--reporter=json', `--outputFile=${outputFile}`], { cwd: REPO_ROOT })
  t.equal(result.code, 0, 'vitest run exits 0', { output: result.stdout + result.stderr })
  const summary = JSON.parse(readFileSync(outputFile, 'utf8')) as { success: boolean; numPassedTests: number; numFailedTests: number }
  t.equal(summary.success, true)
  t.equal(summary.numPassedTests, 3, 'three tests passed')
  t.equal(summary.numFailedTests, 0, 'none failed')
})

/** README snippet name → the file that runs it. */
const SNIPPETS: Record<string, string> = {
  'library-tap': 'test/library/readme-tap.test.ts',
  'library-node-test': 'test/library/runners/readme-node-test.mjs',
  'library-vitest': 'test/library/runners/readme.spec.mjs'
}

t.test('the README\'s library snippets are the files these tests run, as written', async (t) => {
  const readme = existsSync(join(REPO_ROOT, 'README.md')) ? readFileSync(join(REPO_ROOT, 'README.md'), 'utf8') : ''
  for (const [name, file] of Object.entries(SNIPPETS)) {
    const m = new RegExp(`<!-- readme-snippet: ${name} -->\\s*\`\`\`\\w*\\n([\\s\\S]*?)\`\`\``).exec(readme)
    if (m === null) {
      t.comment(`README has no snippet "${name}" yet; ${file} is the text to put there`)
      continue
    }
    t.equal(m[1], readFileSync(join(REPO_ROOT, file), 'utf8'), `snippet ${name} is ${file}`)
  }
  t.pass('checked every snippet the README has')
})
