// A retry report for the terminal: failures in full with their evidence, passes on one line.

import type { CheckResult } from './checks.js'
import { describeEvidence, droppedNotice, plural } from './format.js'
import type { OperationReport, RetryReport } from './report.js'

export interface TextOptions {
  /** ANSI colours (the CLI turns them on for a TTY). */
  color?: boolean
  /** Expand passing operations too. */
  verbose?: boolean
}

// Control characters and bidi overrides in paths or keys could rewrite the terminal or hide text.
const UNSAFE = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g

/** Makes a client-supplied string inert on a terminal: unsafe characters become \u escapes. */
export function sanitiseForTerminal (text: string): string {
  return text.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

function paint (on: boolean, code: number, text: string): string {
  return on ? `\u001B[${code}m${text}\u001B[0m` : text
}

function mark (passed: boolean, color: boolean): string {
  return passed ? paint(color, 32, '✓') : paint(color, 31, '✗')
}

function checkLine (check: CheckResult, indent: string, color: boolean): string {
  return `${indent}${mark(check.passed, color)} ${check.name}: ${sanitiseForTerminal(check.message)}`
}

function operationLines (op: OperationReport, options: Required<TextOptions>): string[] {
  const keys = op.idempotencyKeys.length === 0 ? 'no key' : `key ${op.idempotencyKeys.map((k) => JSON.stringify(k)).join(', ')}`
  const count = plural(op.attempts.length, 'attempt')
  const title = `${mark(op.ok, options.color)} ${op.id} ${sanitiseForTerminal(`${op.method} ${op.path} · ${keys}`)} · ${count} · ${op.outcome}`
  if (op.ok && !options.verbose) return [title]
  const t0 = op.attempts[0]?.at ?? 0
  const flagged = new Set(op.checks.filter((c) => !c.passed).flatMap((c) => c.evidence.attempts.filter((a) => a.flagged === true && a.operation === undefined).map((a) => a.n)))
  const attempts = op.attempts.map((a) => `      ${sanitiseForTerminal(describeEvidence(flagged.has(a.n) ? { ...a, flagged: true } : a, t0, op.idempotencyKeys[0]))}`)
  const checks = [...op.checks].sort((a, b) => Number(a.passed) - Number(b.passed)).map((c) => checkLine(c, '    ', options.color))
  return [title, `    first attempt at ${new Date(t0).toISOString()}`, ...attempts, ...checks]
}

/** The whole report as lines for a terminal; ends with a newline. */
export function formatTextReport (report: RetryReport, options: TextOptions = {}): string {
  const opts: Required<TextOptions> = { color: options.color ?? false, verbose: options.verbose ?? false }
  const { summary } = report
  const verdict = summary.ok ? paint(opts.color, 32, 'PASS') : paint(opts.color, 31, 'FAIL')
  const session = report.session === undefined ? '' : ` · session ${sanitiseForTerminal(report.session)}`
  const lines = [
    `aurion-mock retry report${session}: ${verdict}`,
    `${plural(summary.operations, 'operation')}, ${plural(summary.checks, 'check')}: ${summary.passed} passed, ${summary.failed} failed`,
    ''
  ]
  const notice = droppedNotice(report.dropped)
  if (notice !== undefined) lines.splice(2, 0, `${paint(opts.color, 33, 'Warning')}: ${notice}`)
  const ordered = [...report.operations].sort((a, b) => Number(a.ok) - Number(b.ok))
  for (const op of ordered) lines.push(...operationLines(op, opts))
  if (report.sessionChecks.length > 0) {
    lines.push('', 'Across operations:')
    lines.push(...report.sessionChecks.map((c) => checkLine(c, '  ', opts.color)))
  }
  if (report.receiver !== undefined) {
    const r = report.receiver
    lines.push('', `Webhook receiver: ${plural(r.attempts, 'delivery attempt')} of ${plural(r.events, 'event')}`)
    for (const c of r.checks) {
      lines.push(checkLine(c, '  ', opts.color))
      if (!c.passed) lines.push(...c.evidence.attempts.filter((a) => a.flagged === true).map((a) => `      ${sanitiseForTerminal(describeEvidence(a, a.at))}`))
    }
  }
  return `${lines.join('\n')}\n`
}
