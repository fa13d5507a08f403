// The command line: `aurion-mock [serve]` runs the server, `validate FILE...` checks scenario files,
// `verify` grades the clients of a running mock, `openapi` prints the OpenAPI document. main() returns the exit code instead of exiting,
// so tests can call it; each command is its own file.

import { ConfigError, resolveConfig } from '../config.js'
import { helpText, version } from './help.js'
import { defaultIo, EXIT_OK, EXIT_USAGE, type Io } from './io.js'
import { openapi } from './openapi.js'
import { serve } from './serve.js'
import { limitsOf, validate } from './validate.js'
import { verify } from './verify.js'

export type { Io } from './io.js'

/** Runs the command line; resolves to the exit code (a running server keeps the process alive). */
export async function main (argv: readonly string[], env: Readonly<Record<string, string | undefined>>, io: Io = defaultIo): Promise<number> {
  const [first, ...rest] = argv
  if (first === 'verify') return verify(rest, env, io)
  if (first === 'openapi') return openapi(rest, io)
  const command = first === 'validate' || first === 'serve' ? first : 'serve'
  const args = command === first ? rest : argv
  let resolved
  try {
    resolved = resolveConfig(args, env)
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    io.stderr(`aurion-mock: ${err.message} (see aurion-mock --help)`)
    return EXIT_USAGE
  }
  if (resolved.help) {
    io.stdout(helpText())
    return EXIT_OK
  }
  if (resolved.version) {
    io.stdout(version())
    return EXIT_OK
  }
  if (command === 'validate') return validate(resolved.positionals, io, limitsOf(resolved.config))
  if (resolved.positionals.length > 0) {
    io.stderr(`aurion-mock: unexpected argument "${resolved.positionals[0]}" (see aurion-mock --help)`)
    return EXIT_USAGE
  }
  return serve(resolved.config, io)
}
