// Summarises a V8 .cpuprofile (node --cpu-prof) over its busy samples: self time by module and by
// function, and total (inclusive) time by function, top first.
// Usage: node bench/profile-summary.mjs FILE.cpuprofile [top=25]

import { readFileSync } from 'node:fs'

const [file, topArg] = process.argv.slice(2)
if (file === undefined) {
  process.stderr.write('usage: node bench/profile-summary.mjs FILE.cpuprofile [top]\n')
  process.exit(2)
}
const top = Number(topArg ?? 25)
const profile = JSON.parse(readFileSync(file, 'utf8'))

/** Where a frame comes from: a package, a file of the mock, node's internals, or V8 itself. */
function moduleOf (url) {
  if (url === '') return '(v8/native)'
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (pkg !== null) return pkg[1]
  // The bench runs the mock from a copy, bench/.dist-PID/server: name it as dist/server.
  const own = /\/(?:bench\/\.dist-\d+\/|dist\/)(server\/.+)$/.exec(url)
  if (own !== null) return `dist/${own[1]}`
  const bench = /\/(bench\/.+)$/.exec(url)
  if (bench !== null) return bench[1]
  return url.startsWith('node:') ? url : url.replace(/^file:\/\//, '')
}

const nodes = new Map(profile.nodes.map((n) => [n.id, n]))
const parentOf = new Map()
for (const n of profile.nodes) for (const child of n.children ?? []) parentOf.set(child, n.id)
const nameOf = (node) => {
  const { functionName, url, lineNumber } = node.callFrame
  return `${functionName || '(anonymous)'} ${moduleOf(url)}${url ? `:${lineNumber + 1}` : ''}`
}

// The idle and program pseudo-frames are not the server's work: percentages are of the rest.
const IDLE = new Set(['(idle)', '(program)'])
const self = new Map()
const byModule = new Map()
const total = new Map()
let busy = 0
for (const id of profile.samples) {
  const node = nodes.get(id)
  if (node === undefined || IDLE.has(node.callFrame.functionName)) continue
  busy++
  const name = nameOf(node)
  self.set(name, (self.get(name) ?? 0) + 1)
  const mod = moduleOf(node.callFrame.url)
  byModule.set(mod, (byModule.get(mod) ?? 0) + 1)
  const seen = new Set()
  for (let at = id; at !== undefined; at = parentOf.get(at)) {
    const frame = nameOf(nodes.get(at))
    if (seen.has(frame)) continue
    seen.add(frame)
    total.set(frame, (total.get(frame) ?? 0) + 1)
  }
}

function print (title, map) {
  process.stdout.write(`\n${title}\n`)
  const rows = [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, top)
  for (const [name, n] of rows) process.stdout.write(`${(n / busy * 100).toFixed(1).padStart(6)}%  ${name}\n`)
}

const ms = (profile.endTime - profile.startTime) / 1000
process.stdout.write(`${file}: ${profile.samples.length} samples over ${ms.toFixed(0)} ms, ${busy} busy (percentages are of these)\n`)
print('Self time by module', byModule)
print('Self time by function', self)
print('Total time by function (itself and what it calls)', total)
