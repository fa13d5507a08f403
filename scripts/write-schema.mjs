// Writes scenarios/scenario.schema.json from the built schema (run `npm run schema`).
import { writeFileSync } from 'node:fs'
import { scenarioSchema } from '../dist/server/scenario/schema.js'

writeFileSync(new URL('../scenarios/scenario.schema.json', import.meta.url), JSON.stringify(scenarioSchema, null, 2) + '\n')
