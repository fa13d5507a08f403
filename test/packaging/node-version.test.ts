// .ci/run runs each suite with one Node build first on PATH and names it in AURION_MOCK_EXPECT_NODE:
// the test processes, and the `node` that npm scripts, npx and child processes find, must be that one.

import t from 'tap'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

const expected = process.env.AURION_MOCK_EXPECT_NODE

t.test('the suite runs on the Node .ci/run chose, and so do the processes it starts', { skip: expected === undefined ? 'not run by .ci/run' : false }, async (t) => {
  t.equal(process.version, expected, 'the test process')
  const { stdout } = await promisify(execFile)('node', ['-p', 'process.version'])
  t.equal(stdout.trim(), expected, 'the node found on PATH')
})
