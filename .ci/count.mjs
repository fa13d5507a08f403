// Counts test cases (t.test subtests, which carry "# time=") in tap's TAP output, over one run or
// several: node .ci/count.mjs OUTPUT EXIT_STATUS [OUTPUT EXIT_STATUS ...]. With several runs it
// names each (the output file's name) before the one total line, "N passed, N failed".
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'

/** Passed and failed test cases in one run's output; a run that exited non-zero counts at least one failure. */
function countRun (file, status) {
  const lines = readFileSync(file, 'utf8').split('\n')
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
  if (failed === 0 && status !== undefined && status !== '0') failed = 1
  return { passed, failed }
}

const args = process.argv.slice(2)
let passed = 0
let failed = 0
for (let i = 0; i < args.length; i += 2) {
  const run = countRun(args[i], args[i + 1])
  if (args.length > 2) console.log(`${basename(args[i]).replace(/\.[^.]*$/, '')}: ${run.passed} ok, ${run.failed} not ok, exit ${args[i + 1] ?? '?'}`)
  passed += run.passed
  failed += run.failed
}
console.log(`${passed} passed, ${failed} failed`)
