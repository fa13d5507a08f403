// Summarises a V8 .cpuprofile (node --cpu-prof): self time by function and by module, top first.
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
  const own = /\/(dist\/server\/.+|bench\/.+)$/.exec(url)
  if (own !== null) return own[1]
  return url.startsWith('node:') ? url : url.replace(/^file:\/\//, '')
}

// Self time per node: the sampling interval times the samples that landed on it.
const sampleCounts = new Map()
for (const id of profile.samples) sampleCounts.set(id, (sampleCounts.get(id) ?? 0) + 1)
const totalSamples = profile.samples.length
const byFunction = new Map()
const byModule = new Map()
for (const node of profile.nodes) {
  const n = sampleCounts.get(node.id) ?? 0
  if (n === 0) continue
  const { functionName, url, lineNumber } = node.callFrame
  const fn = `${functionName || '(anonymous)'} ${moduleOf(url)}${url ? `:${lineNumber + 1}` : ''}`
  byFunction.set(fn, (byFunction.get(fn) ?? 0) + n)
  const mod = moduleOf(url)
  byModule.set(mod, (byModule.get(mod) ?? 0) + n)
}

function print (title, map) {
  process.stdout.write(`\n${title}\n`)
  const rows = [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, top)
  for (const [name, n] of rows) process.stdout.write(`${(n / totalSamples * 100).toFixed(1).padStart(6)}%  ${name}\n`)
}

const ms = (profile.endTime - profile.startTime) / 1000
process.stdout.write(`${file}: ${totalSamples} samples over ${ms.toFixed(0)} ms`)
print('Self time by module', byModule)
print('Self time by function', byFunction)
