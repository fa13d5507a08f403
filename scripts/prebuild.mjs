// Build step (npm run build, after tsc): writes the prebuilt seed records and the scenario
// validators (Ajv standalone code) beside the compiled server. Not shipped in the package.

import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { generateSeedData } from '../dist/server/seed/data.js'
import { PREBUILT_SEEDS, prebuiltSeedFile } from '../dist/server/seed/source.js'
import { prebuiltValidatorsFile, standaloneValidatorsCode } from '../dist/server/scenario/validators.js'

for (const seed of PREBUILT_SEEDS) {
  const file = prebuiltSeedFile(seed)
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, JSON.stringify(generateSeedData(seed)))
}
writeFileSync(prebuiltValidatorsFile(), standaloneValidatorsCode())
