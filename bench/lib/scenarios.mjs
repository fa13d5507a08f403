// Scenario files for the bench cases, written as YAML into a temporary directory.

import { writeFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * `count` rules that never fire for GET /api/v1/tickets/:id: they sit on other resources (kb,
 * users), so a rule index by route should make them free for the benchmarked path.
 */
export function otherResourceRules (count) {
  const lines = ['version: 1', `name: bench-${count}-rules`, 'rules:']
  for (let i = 1; i <= count; i++) {
    const path = i % 2 === 0 ? `/api/v1/users/r${i}` : `/api/v1/kb/r${i}/:id`
    lines.push(`  - name: r${i}`, `    match: { method: GET, path: ${path} }`, '    status: 500')
  }
  return lines.join('\n') + '\n'
}

/**
 * `count` rules on the benchmarked resource itself (GET /api/v1/tickets/r{i}/:id): candidates for
 * every ticket read, each rejected by its path. Shows what a per-resource index still scans.
 */
export function sameResourceRules (count) {
  const lines = ['version: 1', `name: bench-${count}-same-resource`, 'rules:']
  for (let i = 1; i <= count; i++) {
    lines.push(`  - name: r${i}`, `    match: { method: GET, path: /api/v1/tickets/r${i}/:id }`, '    status: 500')
  }
  return lines.join('\n') + '\n'
}

/**
 * A 429 on every other ticket read. The `pass` step needs `times: 1`: a bare `pass` as the last
 * step means "for ever", and `repeat` would then never start over.
 */
export function alternating429 () {
  return [
    'version: 1',
    'name: bench-429-every-other',
    'rules:',
    '  - name: every-other',
    '    match: { method: GET, path: /api/v1/tickets/:id }',
    '    sequence: [{ status: 429 }, { pass: true, times: 1 }]',
    '    repeat: true',
    ''
  ].join('\n')
}

/** Writes `yaml` as `<dir>/<name>.yaml` and returns the path. */
export function writeScenario (dir, name, yaml) {
  const file = join(dir, `${name}.yaml`)
  writeFileSync(file, yaml)
  return file
}
