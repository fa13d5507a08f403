#!/usr/bin/env node
// The aurion-mock executable.

import { tuneRuntime } from './runtime/index.js'

// Before the CLI's modules load: see runtime/.
tuneRuntime(process.execArgv)
const { main } = await import('./cli/main.js')

main(process.argv.slice(2), process.env).then((code) => {
  if (code !== 0) process.exitCode = code
}, (err: Error) => {
  process.stderr.write(`aurion-mock: ${err.stack ?? err.message}\n`)
  process.exitCode = 1
})
