// `aurion-mock --help` and `--version`: every flag with its environment variable, from the config table.

import { OPTIONS } from '../config.js'
import { bundledScenarioNames } from '../scenario/registry.js'
import { packageVersion } from '../util/version.js'

/** The package's version, as --version prints it. */
export const version = packageVersion

/** The --help text: commands, then every option with its flag and environment variable. */
export function helpText (): string {
  const rows = OPTIONS.map((o) => {
    const flag = `${o.short !== undefined ? `-${o.short}, ` : '    '}--${o.flag}${o.kind === 'bool' ? '' : ' <value>'}`
    return `  ${flag.padEnd(30)} ${o.help}\n  ${''.padEnd(30)} env: ${o.env}`
  })
  return [
    'Usage: aurion-mock [serve] [options]',
    '       aurion-mock validate FILE...',
    '       aurion-mock openapi [--yaml]',
    '',
    'A mock of the Aurion API with scripted, deterministic fault injection.',
    '',
    'Commands:',
    '  serve (default)    start the server',
    '  validate FILE...   check scenario files; exit 0 when all are valid, 2 otherwise',
    '  verify --url URL [--session S]... [--junit FILE]',
    '                     grade the clients that used a running mock; exit 1 when a check fails',
    '  openapi [--yaml]   print the OpenAPI 3.1 document of the API (JSON, or YAML)',
    '',
    'Options (flags win over environment variables, which win over defaults):',
    ...rows,
    '  -h, --help                     show this help',
    '  -v, --version                  show the version',
    '',
    `Bundled scenarios: ${bundledScenarioNames().join(', ')}`
  ].join('\n')
}
