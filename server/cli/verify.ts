// `aurion-mock verify --url URL`: fetches the retry report of sessions from a running mock, prints
// it, optionally writes JUnit; exit 1 when a check fails.

import { writeFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import type { RetryReport } from '../verify/report.js'
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type Io } from './io.js'

/** `aurion-mock verify`: fetches the retry report of one or more sessions from a running mock. */
export async function verify (argv: readonly string[], env: Readonly<Record<string, string | undefined>>, io: Io): Promise<number> {
  let values
  try {
    values = parseArgs({
      args: [...argv],
      options: { url: { type: 'string' }, session: { type: 'string', multiple: true }, junit: { type: 'string' }, verbose: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      strict: true
    }).values
  } catch (err) {
    io.stderr(`aurion-mock verify: ${(err as Error).message.split('\n')[0]} (see aurion-mock --help)`)
    return EXIT_USAGE
  }
  if (values.help === true) {
    io.stdout('Usage: aurion-mock verify --url URL [--session S]... [--junit FILE] [--verbose]')
    return EXIT_OK
  }
  const url = values.url ?? env.AURION_MOCK_URL
  if (url === undefined) {
    io.stderr('aurion-mock verify: --url is required (or AURION_MOCK_URL), e.g. --url http://127.0.0.1:4010')
    return EXIT_USAGE
  }
  let base: URL
  try {
    base = new URL(url)
  } catch {
    io.stderr(`aurion-mock verify: --url ${url} is not a URL, e.g. --url http://127.0.0.1:4010`)
    return EXIT_USAGE
  }
  // The URL's path is kept: a session's base URL (<mock>/s/<id>) grades that session, and a mock
  // behind a path prefix is reached there.
  const prefix = base.pathname.replace(/\/+$/, '')
  const sessionInUrl = /\/s\/[^/]+$/.test(prefix)
  const sessions: Array<string | undefined> = values.session ?? [sessionInUrl ? undefined : 'default']
  const reports: RetryReport[] = []
  // Loaded here, not at the top: serving never needs them, and start-up is faster without.
  const { formatTextReport } = await import('../verify/text.js')
  const { formatJUnit } = await import('../verify/junit.js')
  for (const session of sessions) {
    const reportUrl = new URL(base)
    reportUrl.pathname = `${prefix}/__mock/report`
    reportUrl.search = session === undefined ? '' : `?session=${encodeURIComponent(session)}`
    let res: Response
    try {
      res = await fetch(reportUrl)
    } catch (err) {
      io.stderr(`aurion-mock verify: cannot reach ${url}: ${(err as Error).message}`)
      return EXIT_USAGE
    }
    if (!res.ok) {
      // The mock's own words when it gave them (a session the URL and --session disagree on: 400).
      const said = await res.json().then((b: unknown) => {
        const message = (b as { message?: unknown } | null)?.message
        return typeof message === 'string' ? `: ${message}` : ''
      }, () => '')
      io.stderr(`aurion-mock verify: ${url} answered ${res.status} for the report of ${session === undefined ? 'its session' : `session ${session}`}${said}`)
      return EXIT_USAGE
    }
    const report = await res.json() as RetryReport
    reports.push(report)
    io.stdout(formatTextReport(report, { color: false, verbose: values.verbose === true }))
  }
  if (values.junit !== undefined) await writeFile(values.junit, formatJUnit(reports))
  return reports.every((r) => r.summary.ok) ? EXIT_OK : EXIT_FAILURE
}
