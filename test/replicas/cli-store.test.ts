// The CLI with --store: a Redis that cannot be reached at start is one line naming it, exit 1.

import t from 'tap'
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const BIN = join(fileURLToPath(new URL('../..', import.meta.url)), 'dist/server/bin.js')

t.test('an unreachable store at start: exit 1 and one line naming the URL, no stack trace', async (t) => {
  const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = execFile(process.execPath, [BIN, '--port', '0', '--store', 'redis://:secret@127.0.0.1:1/0'], (_err, _stdout, stderr) => resolve({ code: child.exitCode, stderr }))
  })
  t.equal(code, 1)
  t.same(stderr.trim().split('\n'), ['aurion-mock: not starting: the shared store redis://:***@127.0.0.1:1/0 is unreachable: connect ECONNREFUSED 127.0.0.1:1'], 'the password hidden')
})
