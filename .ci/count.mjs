// Counts test cases (t.test subtests, which carry "# time=") in tap's TAP output.
import { readFileSync } from 'node:fs'

const lines = readFileSync(process.argv[2], 'utf8').split('\n')
let passed = 0
let failed = 0
for (const line of lines) {
  const m = /^(\s*)(not ok|ok) \d+ - .*# time=/.exec(line)
  if (m === null) continue
  const nested = m[1].length > 0
  // File-level lines only count when a file failed as a whole (e.g. it crashed before its tests).
  if (m[2] === 'ok') { if (nested) passed++ } else if (nested) failed++
  else if (!lines.some((l) => l.startsWith('    not ok'))) failed++
}
// A run that failed before any test (build, type-check) still counts as a failure.
if (passed + failed === 0 && process.argv[3] !== undefined && process.argv[3] !== '0') failed = 1
console.log(`${passed} passed, ${failed} failed`)
