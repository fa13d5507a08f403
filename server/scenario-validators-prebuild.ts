// Build step (npm run build): writes the scenario validators as Ajv standalone code beside the
// compiled server (see scenario-validators.ts).

import { writeFileSync } from 'node:fs'
import { prebuiltValidatorsFile, standaloneValidatorsCode } from './scenario-validators.js'

writeFileSync(prebuiltValidatorsFile(), standaloneValidatorsCode())
