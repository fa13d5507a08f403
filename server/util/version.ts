// The package's version, read once from its package.json.

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { PACKAGE_ROOT } from './package-paths.js'

let cached: string | undefined

/** The version in the package's package.json (what --version prints and the OpenAPI document names). */
export function packageVersion (): string {
  cached ??= (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version
  return cached
}
