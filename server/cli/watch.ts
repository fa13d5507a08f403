// `--watch`: reloads scenario files when they change; a broken edit keeps the last good version serving.

import { watch, type FSWatcher } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { formatProblem, type LoadOptions } from '../scenario/problem.js'
import { loadScenarioRef } from '../scenario/registry.js'
import type { Scenario } from '../scenario/types.js'
import type { Io } from './io.js'

/** Watches scenario files (by directory, so editors that replace files are seen) and reloads them. */
export function watchScenarios (refs: readonly string[], onReload: (s: Scenario) => void, io: Io, limits: LoadOptions): FSWatcher[] {
  const files = refs.filter((r) => r.includes('/') || r.includes('\\') || r.endsWith('.yaml') || r.endsWith('.yml')).map((f) => resolve(f))
  const byDir = new Map<string, Set<string>>()
  for (const f of files) {
    const set = byDir.get(dirname(f)) ?? new Set()
    set.add(basename(f))
    byDir.set(dirname(f), set)
  }
  const timers = new Map<string, NodeJS.Timeout>()
  const watchers: FSWatcher[] = []
  for (const [dir, names] of byDir) {
    const w = watch(dir, (_event, name) => {
      if (name === null || !names.has(name)) return
      const file = join(dir, name)
      clearTimeout(timers.get(file))
      // Editors write in several steps; reload once the file has settled.
      timers.set(file, setTimeout(() => {
        void loadScenarioRef(file, limits).then((result) => {
          if (result.ok) {
            onReload(result.scenario)
            io.stdout(`reloaded ${file} (${result.scenario.name})`)
          } else {
            io.stderr(`${file}: not reloaded, the last good version keeps serving:`)
            for (const p of result.problems) io.stderr(formatProblem(p))
          }
        })
      }, 150))
    })
    w.on('error', (err) => io.stderr(`watch ${dir}: ${err.message}`))
    watchers.push(w)
  }
  return watchers
}
