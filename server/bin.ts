#!/usr/bin/env node
// The aurion-mock executable.

import { keepTickMapsAlive } from './tick-maps.js'

// Before the CLI's modules load: see tick-maps.ts.
keepTickMapsAlive()
const { main } = await import('./cli.js')

main(process.argv.slice(2), process.env).then((code) => {
  if (code !== 0) process.exitCode = code
}, (err: Error) => {
  process.stderr.write(`aurion-mock: ${err.stack ?? err.message}\n`)
  process.exitCode = 1
})
