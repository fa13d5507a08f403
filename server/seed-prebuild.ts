// Build step (npm run build): writes the records of the prebuilt seeds beside the compiled server.

import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { generateSeedData } from './seed-data.js'
import { PREBUILT_SEEDS, prebuiltSeedFile } from './seed-source.js'

for (const seed of PREBUILT_SEEDS) {
  const file = prebuiltSeedFile(seed)
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, JSON.stringify(generateSeedData(seed)))
}
