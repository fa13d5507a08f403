// The default seed's records come from a file made at build time; they must be the faker's bytes.

import t from 'tap'
import { existsSync, readFileSync } from 'node:fs'
import { generateSeedData } from '../../server/seed/data.js'

// The built module, so its file is the one `npm run build` wrote (npm test builds first).
const built = await import('../../dist/server/seed/source.js') as typeof import('../../server/seed/source.js')

t.test('the prebuilt default seed is byte-identical to generating it', async (t) => {
  for (const seed of built.PREBUILT_SEEDS) {
    const file = built.prebuiltSeedFile(seed)
    t.ok(existsSync(file), `${file} was built`)
    t.equal(readFileSync(file, 'utf8'), JSON.stringify(generateSeedData(seed)), `seed ${seed}`)
    const fromFile = (await built.seedSource(seed))()
    t.equal(JSON.stringify(fromFile), JSON.stringify(generateSeedData(seed)))
    t.ok(Object.isFrozen(fromFile) && Object.isFrozen(fromFile.tickets) && Object.isFrozen(fromFile.tickets?.[0]), 'shared records cannot be changed')
  }
})

t.test('any other seed is generated on first use', async (t) => {
  const make = await built.seedSource(7)
  t.equal(JSON.stringify(make()), JSON.stringify(generateSeedData(7)))
  t.not(JSON.stringify(make().tickets), JSON.stringify(generateSeedData(1).tickets), 'another seed, other records')
})
