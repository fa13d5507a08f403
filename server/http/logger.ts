// The server's logger: pino's JSON lines (containers, log collectors), or readable lines through
// pino-pretty for a person at a terminal. pino-pretty loads only when asked for.

import type { MockConfig } from '../config.js'

/** The format `auto` resolves to: text on a terminal, JSON lines otherwise (a container, a pipe, CI). */
export function resolveLogFormat (format: MockConfig['logFormat'], isTTY: boolean): 'json' | 'text' {
  return format === 'auto' ? (isTTY ? 'text' : 'json') : format
}

/** Fastify's `logger` option for a level and format; `auto` counts as JSON here (the CLI resolves it first). */
export async function loggerOptions (level: MockConfig['logLevel'], format: MockConfig['logFormat']): Promise<false | object> {
  if (level === 'silent') return false
  if (format !== 'text') return { level }
  const { build: pretty } = await import('pino-pretty')
  // Synchronous, on stdout like the banner, so lines keep their order with it.
  return { level, stream: pretty({ sync: true, destination: 1, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' }) }
}
