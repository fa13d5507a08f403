// The HTML report: self-contained, the time axis drawn, failures in red, and every client-supplied
// string escaped (issue 7).

import t from 'tap'
import { escapeHtml, renderHtmlReport } from '../../server/verify/html.js'
import { normaliseExpect } from '../../server/expect/index.js'
import { buildRetryReport } from '../../server/verify/report.js'
import { ignoresRetryAfterPolicy, seededRandom } from '../clients/policies.js'
import { journal, simulate } from './fixtures/journal.js'

const XSS = '<script>alert(1)</script>'

t.test('a path, key, rule and session containing markup appear escaped, never as markup', async (t) => {
  const path = `/api/v1/tickets/${XSS}`
  const report = buildRetryReport(journal([
    { at: 0, status: 422, path, idempotencyKey: `"><img src=x onerror=alert(2)>`, rule: `<b onmouseover=alert(3)>r</b>`, apiKey: '<i>ak</i>' },
    { at: 1_000, status: 422, path, idempotencyKey: `"><img src=x onerror=alert(2)>`, apiKey: '<i>ak</i>' }
  ]), undefined, { session: `</title>${XSS}` })
  const html = renderHtmlReport(report)
  t.notMatch(html, /<script/i)
  t.notMatch(html, /<img/i)
  t.notMatch(html, /<b /)
  t.notMatch(html, /<i>/)
  t.match(html, '/api/v1/tickets/&lt;script&gt;alert(1)&lt;/script&gt;')
  t.match(html, '&lt;/title&gt;&lt;script&gt;')
  t.match(html, '&quot;&gt;&lt;img src=x onerror=alert(2)&gt;')
  t.match(html, 'which is not retryable (attempt 2 of POST /api/v1/tickets/&lt;script&gt;', 'messages are escaped too')
})

t.test('the page is self-contained: no scripts, no external assets, a CSP that forbids them', async (t) => {
  const html = renderHtmlReport(buildRetryReport(simulate(ignoresRetryAfterPolicy, [{ answers: [{ status: 429, retryAfter: 2 }, 201] }], seededRandom(2))))
  t.match(html, /^<!doctype html>/)
  t.match(html, `content="default-src 'none'; style-src 'unsafe-inline'"`)
  t.notMatch(html, /\b(src|srcset)=/i)
  t.notMatch(html, /href="(?!#)/i, 'only in-page links')
  t.notMatch(html, /url\(|@import/i)
  t.notMatch(html, /<script/i)
})

t.test('each operation gets a timeline with its attempts, Retry-After windows and labelled gaps', async (t) => {
  const report = buildRetryReport(simulate(ignoresRetryAfterPolicy, [
    { answers: [{ status: 429, retryAfter: 2 }, { status: 429, retryAfter: 2 }, 201] },
    { answers: [503, 201] }
  ], seededRandom(5)))
  const html = renderHtmlReport(report)
  const sections = html.split('<section').slice(1)
  t.equal(sections.length, 2)
  const [limited, backoff] = sections
  t.equal(limited?.match(/<circle class="s/g)?.length, 3, 'one marker per attempt')
  t.equal(limited?.match(/<rect class="ra"/g)?.length, 2, 'one shaded window per Retry-After')
  t.match(limited, '>Retry-After 2 s</text>')
  t.equal(limited?.match(/<path class="gap bad"/g)?.length, 2, 'both early gaps are red')
  t.match(limited, /<circle class="s429 flagged"/)
  t.match(limited, /class="fail">✗ <strong>respectRetryAfter<\/strong>: retry 1 came 0\.4 s after attempt 1 ended in a 429 with Retry-After: 2; it had to wait at least 2 s/)
  t.match(limited, / class="fail"/)
  t.match(backoff, / class="pass"/)
  t.match(backoff, /<path class="gap" [^>]*\/><text x="[\d.]+" y="90" text-anchor="middle">1\.\d+ s<\/text>/, 'the backoff gap is labelled')
  t.notMatch(backoff, /flagged/)
  t.match(backoff, /<rect class="bo" x="20" y="34" width="[\d.]+" height="30"><title>backoff ≥ 1 s before retry 1 \(attempt 2\)<\/title><\/rect>/, 'the backoff bound is drawn from the answer before the retry')
  t.match(backoff, '>backoff ≥ 1 s</text>')
  t.match(backoff, '<td>≥ 1 s</td>', 'and listed in the table')
  t.notMatch(limited, 'class="bo"', 'Retry-After retries have no backoff bound')
  t.match(html, '<span class="badge fail">FAIL</span>')
  t.match(html, '<a href="#op-1">op-1 POST /api/v1/tickets</a>', 'failing operations are linked from the top')
})

t.test('a passing report says PASS; an empty one renders', async (t) => {
  const html = renderHtmlReport(buildRetryReport(journal([{ at: 0, status: 201, idempotencyKey: 'k' }])))
  t.match(html, '<span class="badge pass">PASS</span>')
  t.notMatch(html, 'Failing:')
  t.match(renderHtmlReport(buildRetryReport([])), '0 operations')
  t.match(html, ' · 1 operation · ')
})

t.test('a retry that came before its bound is drawn in red against the bound', async (t) => {
  const html = renderHtmlReport(buildRetryReport(journal([
    { at: 0, status: 503, idempotencyKey: 'k' }, { at: 50, status: 201, idempotencyKey: 'k' }
  ]), normaliseExpect({ minBackoffMs: 100 })))
  t.match(html, '<title>backoff ≥ 0.1 s before retry 1 (attempt 2)</title>')
  t.match(html, /<path class="gap bad" [^>]*\/><text class="bad" [^>]*>0\.05 s<\/text>/)
  t.match(html, 'retry 1 came 0.05 s after attempt 1 ended in a 503; it had to wait at least 0.1 s (minBackoffMs)')
})

t.test('escapeHtml covers the five significant characters', async (t) => {
  t.equal(escapeHtml(`<a href="x" title='y'>&</a>`), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;')
})
