// Small statistics and formatting helpers for the bench report.

/** The median of the finite numbers in `values` (NaN when there are none). */
export function median (values) {
  const xs = values.filter(Number.isFinite).sort((a, b) => a - b)
  if (xs.length === 0) return NaN
  const mid = xs.length >> 1
  return xs.length % 2 === 1 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2
}

export function fixed (value, digits) {
  return Number.isFinite(value) ? value.toFixed(digits) : '-'
}

export function megabytes (bytes) {
  return Number.isFinite(bytes) ? (bytes / 1024 / 1024).toFixed(0) : '-'
}

export function percent (fraction) {
  return Number.isFinite(fraction) ? `${(fraction * 100).toFixed(0)}%` : '-'
}

/** A Markdown table with columns padded to their widest cell, readable as plain text too. */
export function markdownTable (header, rows, alignRight = []) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)))
  const cell = (text, i) => alignRight.includes(i) ? String(text).padStart(widths[i]) : String(text).padEnd(widths[i])
  const line = (cells) => `| ${cells.map(cell).join(' | ')} |`
  const rule = `|${widths.map((w, i) => alignRight.includes(i) ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2)).join('|')}|`
  return [line(header), rule, ...rows.map(line)].join('\n')
}

/** Status shares, largest first: "200 100%" or "429 50%, 200 50%". */
export function describeStatuses (counts) {
  const total = Object.values(counts).reduce((a, b) => a + b, 0)
  if (total === 0) return 'none'
  return Object.entries(counts).sort((a, b) => b[1] - a[1]).map(([code, n]) => `${code} ${(n / total * 100).toFixed(n === total ? 0 : 1)}%`).join(', ')
}
