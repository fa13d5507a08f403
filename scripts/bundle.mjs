// Build step (npm run build): bundles the CLI and everything it imports into one file,
// dist/server/bin.js, over the one tsc wrote.
// Why: resolving and reading the ~300 files of fastify, pino, ajv and our modules was most of a
// cold start (about 250 ms against about 155 ms bundled, on the bench machine). The library entry
// (dist/server/index.js) stays tsc's output, importing its dependencies, so library users share
// them with their own code.

import { chmodSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const OUT = join(ROOT, 'dist/server/bin.js')

await build({
  entryPoints: [join(ROOT, 'server/bin.ts')],
  outfile: OUT,
  allowOverwrite: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  // Names stay: avvio and fastify-plugin report plugins by function name.
  minify: false,
  // Comments and whitespace go: the source V8 keeps for the life of the process is half the size.
  minifyWhitespace: true,
  // The CommonJS dependencies (pino, ajv, ...) call require() for Node's own modules.
  banner: { js: "import { createRequire as __aurionRequire } from 'node:module'; const require = __aurionRequire(import.meta.url);" },
  // ASCII only: one non-ASCII character (in a comment, even) makes V8 keep the whole ~2 MB source
  // as a two-byte string, 4 MB of heap for the life of the process.
  charset: 'ascii',
  legalComments: 'none',
  logLevel: 'warning'
})
chmodSync(OUT, 0o755)
