// `aurion-mock openapi [--yaml]`: prints the OpenAPI document of the mock's routes, built as the
// server builds it, without listening, so a team can generate a client without starting a server.

import { parseArgs } from 'node:util'
import { buildApp } from '../http/app.js'
import { openApiText } from '../http/openapi.js'
import { EXIT_OK, EXIT_USAGE, type Io } from './io.js'

export async function openapi (argv: readonly string[], io: Io): Promise<number> {
  let values
  try {
    values = parseArgs({ args: [...argv], options: { yaml: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, strict: true }).values
  } catch (err) {
    io.stderr(`aurion-mock openapi: ${(err as Error).message.split('\n')[0]} (see aurion-mock --help)`)
    return EXIT_USAGE
  }
  if (values.help === true) {
    io.stdout('Usage: aurion-mock openapi [--yaml]')
    return EXIT_OK
  }
  const { app } = await buildApp({ config: { logLevel: 'silent' } })
  try {
    await app.ready()
    io.stdout(openApiText(app, values.yaml === true ? 'yaml' : 'json').trimEnd())
  } finally {
    await app.close()
  }
  return EXIT_OK
}
