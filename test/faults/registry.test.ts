// The fault registry is the one list of fault kinds: each has its row in the README's table, and
// only the registry imports the fault files.

import t from 'tap'
import { readFile, readdir } from 'node:fs/promises'
import { FAULT_KINDS } from '../../server/faults/index.js'

const ROOT = new URL('../../', import.meta.url)

t.test('every registered kind has a row in the README\'s fault table, with each of its options', async (t) => {
  const readme = await readFile(new URL('README.md', ROOT), 'utf8')
  const start = readme.indexOf('| fault | options | what the client sees |')
  t.ok(start >= 0, 'the README has the fault table')
  const table = readme.slice(start, readme.indexOf('\n\n', start))
  const rows = new Map([...table.matchAll(/^\| `([a-z][a-z0-9-]*)` \| (.*) \| (.*) \|$/gm)].map((m) => [m[1], m[2] ?? '']))
  for (const kind of FAULT_KINDS) {
    const options = rows.get(kind.type)
    t.ok(options !== undefined, `${kind.type} has a row`)
    for (const key of Object.keys(kind.options)) t.match(options, `\`${key}\``, `${kind.type}'s row names ${key}`)
  }
})

t.test('fault files are imported only by faults/index.ts', async (t) => {
  const files = (await readdir(new URL('server', ROOT), { recursive: true })).filter((f) => f.endsWith('.ts'))
  const faultFiles = (await readdir(new URL('server/faults', ROOT))).filter((f) => f !== 'index.ts' && f !== 'types.ts').map((f) => f.replace(/\.ts$/, ''))
  t.ok(faultFiles.length >= FAULT_KINDS.length, 'one file per kind')
  const importers: string[] = []
  for (const file of files) {
    const text = await readFile(new URL(`server/${file}`, ROOT), 'utf8')
    for (const name of faultFiles) {
      const outside = !file.startsWith('faults/')
      if (outside && new RegExp(`from '[./]*faults/${name}\\.js'`).test(text)) importers.push(`${file} imports faults/${name}`)
    }
  }
  t.strictSame(importers, [])
})
