// Grading real clients: five retry clients drive a real mock; the report passes the correct one
// and flags each of the others for exactly its mistake.

import t from 'tap'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ManualClock } from '../../server/index.js'
import { correctClient, dropsKeyClient, ignoresRetryAfterClient, noBackoffClient, retries4xxClient, type RetryClient } from '../clients/retry-client.js'
import { seededRandom } from '../clients/policies.js'
import { serve } from '../helpers.js'

const BIN = fileURLToPath(new URL('../../dist/server/bin.js', import.meta.url))

const scenario = {
  version: 1,
  name: 'grading',
  rules: [
    { name: 'urgent-422', match: { method: 'POST', path: '/api/v1/tickets', body: { priority: 'urgent' } }, status: 422, details: [{ field: 'priority', message: 'Urgent tickets must be raised by phone' }] },
    { name: 'create-storm', match: { method: 'POST', path: '/api/v1/tickets' }, repeat: true, sequence: [{ status: 429, retryAfter: 2 }, { status: 503 }, { status: 500 }, 'pass'] }
  ]
}

const clients: [string, RetryClient, string[]][] = [
  ['correct', correctClient, []],
  ['ignores-retry-after', ignoresRetryAfterClient, ['respectRetryAfter']],
  ['no-backoff', noBackoffClient, ['backoff']],
  ['retries-422', retries4xxClient, ['noRetryOn4xx']],
  ['drops-key', dropsKeyClient, ['idempotencyKeysOnPost']]
]

t.test('the report grades each client for exactly its mistake', async (t) => {
  const clock = new ManualClock()
  const server = await serve(t, { clock, scenario })
  for (const [session, client, expected] of clients) {
    const options = { sleep: async (ms: number) => { clock.advance(ms) }, random: seededRandom(session.length) }
    const headers = { 'x-mock-session': session }
    for (const subject of ['VPN down', 'Printer jam']) {
      await client(server.url, { method: 'POST', path: '/api/v1/tickets', body: { subject, description: 'Since 9am' }, headers }, options)
    }
    await client(server.url, { method: 'POST', path: '/api/v1/tickets', body: { subject: 'Fire', description: 'Now', priority: 'urgent' }, headers }, options)
    const report = await (await fetch(`${server.url}/__mock/report?session=${session}`)).json() as { summary: { ok: boolean }, operations: { checks: { name: string, passed: boolean }[] }[], sessionChecks: { name: string, passed: boolean }[] }
    const failed = [...new Set([...report.operations.flatMap((o) => o.checks), ...report.sessionChecks].filter((c) => !c.passed).map((c) => c.name))]
    t.same(failed, expected, `${session}: ${expected.length === 0 ? 'passes' : `flagged for ${expected.join(', ')}`}`)
    t.equal(report.summary.ok, expected.length === 0)
  }
  t.test('aurion-mock verify exits 1 on a failing session and writes JUnit', async (t) => {
    const dir = t.testdir({})
    const ok = spawn(process.execPath, [BIN, 'verify', '--url', server.url, '--session', 'correct'])
    let out = ''
    ok.stdout.on('data', (d: Buffer) => { out += d })
    t.equal((await once(ok, 'exit'))[0], 0)
    t.match(out, /correct/)
    const junit = join(dir, 'retry.xml')
    const bad = spawn(process.execPath, [BIN, 'verify', '--url', server.url, '--session', 'correct', '--session', 'no-backoff', '--junit', junit])
    let badOut = ''
    bad.stdout.on('data', (d: Buffer) => { badOut += d })
    t.equal((await once(bad, 'exit'))[0], 1)
    t.match(badOut, /backoff/)
    const xml = readFileSync(junit, 'utf8')
    t.match(xml, /<testsuites/)
    t.equal((xml.match(/<testsuite /g) ?? []).length, 2, 'one testsuite per session')
    t.ok((xml.match(/<failure /g) ?? []).length >= 1)
  })
})
