// Build step (npm run build): writes the scenario validators as Ajv standalone code beside the
// compiled server (see scenario-validators.ts).

import { writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { createScenarioAjv, prebuiltValidatorsFile } from './scenario-validators.js'

const standaloneCode = (createRequire(import.meta.url)('ajv/dist/standalone') as typeof import('ajv/dist/standalone/index.js')).default
writeFileSync(prebuiltValidatorsFile(), standaloneCode(createScenarioAjv(true), { scenario: 'scenario', rule: 'rule' }))
