// Where the package's own files are, whether running from server/ (tests) or dist/server/.

import { existsSync } from 'node:fs'
import { MockError } from '../errors.js'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

function findRoot (): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'scenarios'))) return dir
    dir = dirname(dir)
  }
  throw new MockError('AURION_MOCK_PACKAGE', 'aurion-mock: cannot find the package root (package.json beside scenarios/)')
}

export const PACKAGE_ROOT = findRoot()
export const BUNDLED_SCENARIOS_DIR = join(PACKAGE_ROOT, 'scenarios')
/** Where `npm run build` writes the compiled server and its prebuilt data (seeds, validators). */
export const BUILD_DIR = join(PACKAGE_ROOT, 'dist', 'server')
