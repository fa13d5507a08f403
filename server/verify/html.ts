// A self-contained HTML page of a retry report: each operation's attempts on a time axis, with
// Retry-After windows and backoff bounds shaded, gaps labelled and failures in red. No scripts, no
// external assets.

import type { AttemptEvidence, CheckResult } from './checks.js'
import { droppedNotice, formatSeconds, plural } from './format.js'
import type { ReceiverReport } from './receiver.js'
import type { OperationReport, RetryReport } from './report.js'

const WIDTH = 760
const HEIGHT = 100
const LEFT = 20
const RIGHT = 20
const AXIS_Y = 64
const MARK_Y = 46
/** Tick spacings to choose from (ms): the first giving at most ~8 ticks. */
const STEPS = [100, 200, 500, 1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_800_000, 3_600_000]

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** Text safe in HTML and SVG content and in quoted attributes. */
export function escapeHtml (text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c] ?? c)
}

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1f2328;margin:0;background:#f6f8fa}
header,main{max-width:820px;margin:0 auto;padding:16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:0 0 4px}
code{font:12.5px ui-monospace,SFMono-Regular,Menlo,monospace;overflow-wrap:anywhere}
.badge{display:inline-block;padding:1px 10px;border-radius:12px;color:#fff;font-size:14px;vertical-align:middle}
.badge.pass{background:#1a7f37}.badge.fail{background:#cf222e}
section{background:#fff;border:1px solid #d0d7de;border-left:5px solid #1a7f37;border-radius:6px;padding:12px 14px;margin:0 0 14px}
section.fail{border-left-color:#cf222e}
.meta{color:#57606a;margin:0 0 6px}
ul.checks{list-style:none;padding:0;margin:8px 0}
ul.checks li{padding:2px 0}ul.checks li.fail{color:#cf222e;font-weight:600}
ul.checks li.pass{color:#57606a}
table{border-collapse:collapse;width:100%;font-size:12.5px;margin-top:6px}
th,td{text-align:left;padding:2px 6px;border-bottom:1px solid #eaeef2}
tr.flagged td{color:#cf222e;font-weight:600}
svg{display:block;width:100%;height:auto;background:#fbfcfd;border:1px solid #eaeef2;border-radius:4px}
svg text{font:11px system-ui,sans-serif;fill:#57606a}
svg .axis{stroke:#8c959f}svg .grid{stroke:#eaeef2}
svg .ra{fill:#54aeff;fill-opacity:.18;stroke:#54aeff;stroke-opacity:.5}
svg .ra-label{fill:#0969da}
svg .bo{fill:#bf8700;fill-opacity:.10}svg .bo-edge{stroke:#bf8700;stroke-dasharray:3 2}svg .bo-label{fill:#9a6700}
svg .dur{fill:#8c959f}
svg .gap{stroke:#57606a}svg .gap.bad{stroke:#cf222e}svg text.bad{fill:#cf222e;font-weight:700}
svg .s2xx{fill:#1a7f37}svg .s4xx{fill:#bf8700}svg .s429{fill:#0969da}svg .s5xx{fill:#8250df}svg .s0{fill:#6e7781}
svg circle.flagged{stroke:#cf222e;stroke-width:3}
.legend svg{display:inline;width:auto;border:0;background:none;vertical-align:middle}
.failures a{color:#cf222e}
.warning{color:#9a6700;font-weight:600}
`

function statusClass (a: AttemptEvidence): string {
  if (a.status === 0) return 's0'
  if (a.status === 429) return 's429'
  if (a.status >= 500) return 's5xx'
  if (a.status >= 400) return 's4xx'
  return 's2xx'
}

function answerText (a: AttemptEvidence): string {
  return a.status === 0 ? `no answer${a.fault === undefined ? '' : ` (${a.fault})`}` : `${a.status}${a.fault === undefined ? '' : ` ${a.fault}`}`
}

/** Attempt numbers of this operation that a failing check flagged. */
function flaggedOf (op: OperationReport): Set<number> {
  return new Set(op.checks.filter((c) => !c.passed)
    .flatMap((c) => c.evidence.attempts.filter((a) => a.flagged === true && (a.operation === undefined || a.operation === op.id)).map((a) => a.n)))
}

function timeline (op: OperationReport, flagged: Set<number>): string {
  const t0 = op.attempts[0]?.at ?? 0
  const end = op.attempts.reduce((m, a) => Math.max(m, a.at + a.durationMs + (a.retryAfter ?? 0) * 1000, a.at - (a.gapMs ?? 0) + (a.backoffMs ?? 0)), t0)
  const span = Math.max(1_000, end - t0) * 1.04
  const x = (t: number): number => Math.round((LEFT + ((t - t0) / span) * (WIDTH - LEFT - RIGHT)) * 10) / 10
  const step = STEPS.find((s) => span / s <= 8) ?? Math.ceil(span / 8 / 3_600_000) * 3_600_000
  const parts: string[] = []
  for (let t = 0; t <= span; t += step) {
    parts.push(`<line class="grid" x1="${x(t0 + t)}" y1="16" x2="${x(t0 + t)}" y2="${AXIS_Y}"/>`,
      `<text x="${x(t0 + t)}" y="12" text-anchor="middle">${escapeHtml(formatSeconds(t))}</text>`)
  }
  parts.push(`<line class="axis" x1="${LEFT}" y1="${AXIS_Y}" x2="${WIDTH - RIGHT}" y2="${AXIS_Y}"/>`)
  for (const a of op.attempts) {
    if (a.retryAfter === undefined) continue
    const from = a.at + a.durationMs
    const label = `Retry-After ${a.retryAfter} s`
    parts.push(`<rect class="ra" x="${x(from)}" y="20" width="${Math.max(1, x(from + a.retryAfter * 1000) - x(from))}" height="${AXIS_Y - 20}"><title>${escapeHtml(`${label} after attempt ${a.n}`)}</title></rect>`,
      `<text class="ra-label" x="${x(from) + 3}" y="29">${escapeHtml(label)}</text>`)
  }
  for (const a of op.attempts) {
    // The backoff bound: the earliest this retry could come, measured from the answer before it.
    if (a.backoffMs === undefined || a.gapMs === undefined) continue
    const from = a.at - a.gapMs
    const label = `backoff ≥ ${formatSeconds(a.backoffMs)}`
    parts.push(`<rect class="bo" x="${x(from)}" y="34" width="${Math.max(1, x(from + a.backoffMs) - x(from))}" height="${AXIS_Y - 34}"><title>${escapeHtml(`${label} before retry ${a.n - 1} (attempt ${a.n})`)}</title></rect>`,
      `<line class="bo-edge" x1="${x(from + a.backoffMs)}" y1="34" x2="${x(from + a.backoffMs)}" y2="${AXIS_Y}"/>`,
      `<text class="bo-label" x="${x(from) + 3}" y="${AXIS_Y - 4}">${escapeHtml(label)}</text>`)
  }
  for (const a of op.attempts) {
    if (a.gapMs === undefined) continue
    const bad = flagged.has(a.n) ? ' bad' : ''
    const x1 = x(a.at - a.gapMs)
    const x2 = x(a.at)
    const y = AXIS_Y + 12
    parts.push(`<path class="gap${bad}" d="M${x1} ${y - 4}V${y}H${x2}V${y - 4}" fill="none"/>`,
      `<text${bad === '' ? '' : ' class="bad"'} x="${Math.round((x1 + x2) * 5) / 10}" y="${y + 14}" text-anchor="middle">${escapeHtml(formatSeconds(a.gapMs))}</text>`)
  }
  for (const a of op.attempts) {
    const cls = `${statusClass(a)}${flagged.has(a.n) ? ' flagged' : ''}`
    const tip = `attempt ${a.n}: ${answerText(a)} at +${formatSeconds(a.at - t0)}`
    if (a.durationMs > 0) parts.push(`<rect class="dur" x="${x(a.at)}" y="${MARK_Y - 2}" width="${Math.max(1, x(a.at + a.durationMs) - x(a.at))}" height="4"/>`)
    parts.push(`<circle class="${cls}" cx="${x(a.at)}" cy="${MARK_Y}" r="6"><title>${escapeHtml(tip)}</title></circle>`,
      `<text${flagged.has(a.n) ? ' class="bad"' : ''} x="${x(a.at)}" y="${MARK_Y - (a.n % 2 === 0 ? 18 : 10)}" text-anchor="middle">${escapeHtml(answerText(a))}</text>`)
  }
  return `<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeHtml(`Attempts of ${op.id} on a time axis`)}">${parts.join('')}</svg>`
}

function checkList (checks: readonly CheckResult[]): string {
  const items = checks.map((c) => `<li class="${c.passed ? 'pass' : 'fail'}">${c.passed ? '✓' : '✗'} <strong>${escapeHtml(c.name)}</strong>: ${escapeHtml(c.message)}</li>`)
  return `<ul class="checks">${items.join('')}</ul>`
}

function attemptTable (op: OperationReport, flagged: Set<number>): string {
  const t0 = op.attempts[0]?.at ?? 0
  const rows = op.attempts.map((a) => {
    const cells = [
      `#${a.n}`, `+${formatSeconds(a.at - t0)}`, answerText(a), a.retryAfter === undefined ? '' : `${a.retryAfter} s`,
      a.gapMs === undefined ? '' : formatSeconds(a.gapMs), a.backoffMs === undefined ? '' : `≥ ${formatSeconds(a.backoffMs)}`, a.idempotencyKey ?? '—', a.rule === undefined ? '' : `${a.rule}${a.step === undefined ? '' : ` #${a.step}`}`
    ]
    return `<tr${flagged.has(a.n) ? ' class="flagged"' : ''}>${cells.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`
  })
  return `<table><thead><tr><th>attempt</th><th>at</th><th>answer</th><th>Retry-After</th><th>waited</th><th>backoff bound</th><th>Idempotency-Key</th><th>rule</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
}

function operationSection (op: OperationReport): string {
  const flagged = flaggedOf(op)
  const keys = op.idempotencyKeys.length === 0 ? 'no Idempotency-Key' : `key ${op.idempotencyKeys.map((k) => JSON.stringify(k)).join(', ')}`
  const meta = `${keys} · ${plural(op.attempts.length, 'attempt')} · ${op.outcome}${op.apiKey === undefined ? '' : ` · API key ${op.apiKey}`} · first at ${new Date(op.attempts[0]?.at ?? 0).toISOString()}`
  return `<section id="${escapeHtml(op.id)}" class="${op.ok ? 'pass' : 'fail'}">` +
    `<h2>${op.ok ? '✓' : '✗'} ${escapeHtml(op.id)} <code>${escapeHtml(`${op.method} ${op.path}`)}</code></h2>` +
    `<p class="meta">${escapeHtml(meta)}</p>${timeline(op, flagged)}${checkList(op.checks)}${attemptTable(op, flagged)}</section>`
}

/** Most delivery attempts listed on the page; the JSON report has them all. */
const MAX_DELIVERY_ROWS = 200

function receiverSection (r: ReceiverReport): string {
  const attempts = r.checks.flatMap((c) => c.evidence.attempts.map((a) => ({ ...a, check: c.name })))
  const rows = attempts.slice(0, MAX_DELIVERY_ROWS).map((a) => {
    const cells = [a.operation ?? '', `#${a.n}`, new Date(a.at).toISOString(), answerText(a), a.check, a.rule === undefined ? '' : `${a.rule}${a.step === undefined ? '' : ` #${a.step}`}`]
    return `<tr${a.flagged === true ? ' class="flagged"' : ''}>${cells.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`
  })
  return `<section id="webhook-receiver" class="${r.ok ? 'pass' : 'fail'}"><h2>${r.ok ? '✓' : '✗'} Webhook receiver</h2>` +
    `<p class="meta">${escapeHtml(`${plural(r.attempts, 'delivery attempt')} of ${plural(r.events, 'event')}`)}</p>${checkList(r.checks)}` +
    `<table><thead><tr><th>delivery</th><th>attempt</th><th>at</th><th>answer</th><th>check</th><th>rule</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`
}

const LEGEND = [['s2xx', '2xx'], ['s429', '429'], ['s4xx', 'other 4xx'], ['s5xx', '5xx'], ['s0', 'no answer']]
  .map(([cls, label]) => `<svg width="12" height="12" viewBox="0 0 12 12"><circle class="${cls ?? ''}" cx="6" cy="6" r="5"/></svg> ${label ?? ''}`)
  .join(' &nbsp; ')

/** The report as one HTML document; every client-supplied string is escaped. */
export function renderHtmlReport (report: RetryReport): string {
  const { summary } = report
  const session = report.session ?? 'default'
  const failing = report.operations.filter((op) => !op.ok).map((op) => `<a href="#${escapeHtml(op.id)}">${escapeHtml(`${op.id} ${op.method} ${op.path}`)}</a>`)
  if (report.receiver?.ok === false) failing.push('<a href="#webhook-receiver">the webhook receiver</a>')
  const failures = failing.length === 0 ? '' : `<p class="failures">Failing: ${failing.join(', ')}</p>`
  const notice = droppedNotice(report.dropped)
  const warning = notice === undefined ? '' : `<p class="warning">Warning: ${escapeHtml(notice)}</p>`
  const policy = Object.entries(report.expect).map(([k, v]) => `<code>${escapeHtml(`${k}: ${Array.isArray(v) ? `[${v.join(', ')}]` : String(v)}`)}</code>`).join(' ')
  const sessionChecks = report.sessionChecks.length === 0
    ? ''
    : `<section class="${report.sessionChecks.every((c) => c.passed) ? 'pass' : 'fail'}"><h2>Across operations</h2>${checkList(report.sessionChecks)}</section>`
  const receiver = report.receiver === undefined ? '' : receiverSection(report.receiver)
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHtml(`aurion-mock retry report: ${session}`)}</title>
<style>${STYLE}</style></head>
<body><header>
<h1>Retry report <span class="badge ${summary.ok ? 'pass">PASS' : 'fail">FAIL'}</span></h1>
<p>Session <code>${escapeHtml(session)}</code> · ${plural(summary.operations, 'operation')} · ${plural(summary.checks, 'check')}: ${summary.passed} passed, ${summary.failed} failed</p>
${failures}${warning}<p class="meta">Policy: ${policy}</p>
<p class="legend">${LEGEND} &nbsp; <svg width="22" height="12" viewBox="0 0 22 12"><rect class="ra" x="1" y="1" width="20" height="10"/></svg> Retry-After window &nbsp; <svg width="22" height="12" viewBox="0 0 22 12"><rect class="bo" x="1" y="1" width="20" height="10"/><line class="bo-edge" x1="21" y1="1" x2="21" y2="11"/></svg> backoff bound</p>
</header><main>
${sessionChecks}${receiver}${report.operations.map(operationSection).join('\n')}
</main></body></html>
`
}
