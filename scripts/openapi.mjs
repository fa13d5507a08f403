// Build step (npm run build, after tsc): writes the OpenAPI document of the routes beside the
// compiled server, as JSON and YAML, so the package and the image ship it as files
// (`aurion-mock/openapi.json`). The same document as GET /__mock/openapi.json and `aurion-mock openapi`.

import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { buildApp } from '../dist/server/http/app.js'
import { openApiText } from '../dist/server/http/openapi.js'
import { BUILD_DIR } from '../dist/server/util/package-paths.js'

const { app } = await buildApp({ config: { logLevel: 'silent' } })
await app.ready()
writeFileSync(join(BUILD_DIR, 'openapi.json'), openApiText(app, 'json'))
writeFileSync(join(BUILD_DIR, 'openapi.yaml'), openApiText(app, 'yaml'))
await app.close()
