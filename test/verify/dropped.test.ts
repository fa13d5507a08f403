// A session longer than its journal: the report grades what was kept, and says that it let the
// oldest entries go, in every format, so a pass on part of a session is never mistaken for a pass.

import t, { type Test } from 'tap'
import { buildRetryReport } from '../../server/verify/report.js'
import { formatTextReport } from '../../server/verify/text.js'
import { formatJUnit } from '../../server/verify/junit.js'
import { renderHtmlReport } from '../../server/verify/html.js'
import type { MockServer } from '../../server/index.js'
import { call, serve } from '../helpers.js'
import { journal } from './fixtures/journal.js'

const flap = {
  version: 1,
  name: 'flap',
  rules: [{ name: 'flap', match: { method: 'POST', path: '/api/v1/tickets' }, sequence: [{ status: 503 }, 'pass'] }]
}

/** A POST retried at once after a 503, without an Idempotency-Key (a mistake), then `gets` GETs. */
async function badRetryThenGets (t: Test, server: MockServer, gets: number): Promise<void> {
  const body = { subject: 'VPN down', description: 'since 9' }
  t.equal((await call(server, 'POST', '/api/v1/tickets', { body })).status, 503)
  t.equal((await call(server, 'POST', '/api/v1/tickets', { body })).status, 201)
  for (let i = 0; i < gets; i++) t.equal((await call(server, 'GET', '/api/v1/tickets/1001')).status, 200)
}

t.test('over HTTP: a mistake the journal let go is not graded, and every format says entries were let go', async (t) => {
  const kept = await serve(t, { scenario: flap })
  await badRetryThenGets(t, kept, 4)
  const full = (await call(kept, 'GET', '/__mock/report')).body
  t.equal(full.summary.ok, false, 'with a journal long enough, the immediate retry fails the report')
  t.notOk('dropped' in full, 'nothing was let go')
  t.notMatch((await call(kept, 'GET', '/__mock/report.txt')).text, 'Warning')

  const short = await serve(t, { scenario: flap, config: { journalSize: 4 } })
  await badRetryThenGets(t, short, 4)
  const cut = (await call(short, 'GET', '/__mock/report')).body
  t.equal(cut.summary.ok, true, 'the mistake is gone with the entries it was in')
  t.same(cut.dropped, { requests: 2, deliveries: 0 })
  const warning = 'the journal let go of the oldest 2 requests of this session (--journal-size): the checks saw only the newest entries, and could miss a mistake made earlier'
  const text = (await call(short, 'GET', '/__mock/report.txt')).text
  t.equal(text.split('\n')[2], `Warning: ${warning}`, 'the text report warns under its counts')
  const xml = (await call(short, 'GET', '/__mock/report.xml')).text
  t.match(xml, '<property name="journal.dropped.requests" value="2"/>')
  t.match(xml, `<system-out>Warning: ${warning}</system-out>`)
  t.match((await call(short, 'GET', '/__mock/report.html')).text, `<p class="warning">Warning: ${warning}</p>`)

  await call(short, 'POST', '/__mock/reset', { body: {} })
  t.equal((await call(short, 'GET', '/api/v1/tickets/1001')).status, 200)
  t.notOk('dropped' in (await call(short, 'GET', '/__mock/report')).body, 'a reset session numbers its entries from 1 again')
})

t.test('the count comes from the oldest kept entry, for requests and delivery attempts alike', async (t) => {
  const entries = journal([{ at: 0, status: 200 }, { at: 1000, status: 200 }]).map((e) => ({ ...e, seq: e.seq + 10 }))
  const attempt = { at: 0, time: '', eventId: 'evt_1', eventType: 'ticket.created', webhookId: 'wh_1', url: 'http://127.0.0.1/h', attempt: 1, sent: 'event' as const, status: 204, durationMs: 1 }
  const report = buildRetryReport(entries, undefined, { deliveries: [{ ...attempt, seq: 1 }] })
  t.same(report.dropped, { requests: 10, deliveries: 0 })
  t.same(buildRetryReport([], undefined, { deliveries: [{ ...attempt, seq: 4 }] }).dropped, { requests: 0, deliveries: 3 })
  t.match(formatTextReport(buildRetryReport(entries, undefined, { deliveries: [{ ...attempt, seq: 2 }] })),
    'Warning: the journal let go of the oldest 10 requests and 1 delivery attempt of this session')
  t.notOk('dropped' in buildRetryReport(journal([{ at: 0, status: 200 }])), 'a journal from its first entry has nothing to say')
  t.match(formatJUnit(report), '<property name="journal.dropped.deliveries" value="0"/>')
  t.notMatch(renderHtmlReport(buildRetryReport([])), 'class="warning"')
})
