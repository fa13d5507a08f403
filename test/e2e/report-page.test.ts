// The HTML retry report, rendered in headless Chromium: layout, failures highlighted, escaping.

import t from 'tap'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ManualClock } from '../../server/index.js'
import { correctClient, ignoresRetryAfterClient } from '../clients/retry-client.js'
import { seededRandom } from '../clients/policies.js'
import { serve } from '../helpers.js'

const CHROMIUM = '/usr/bin/chromium'

if (!existsSync(CHROMIUM)) {
  if (process.env.CI === 'true') throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium`)
  t.plan(0, `skipped: ${CHROMIUM} is not installed (apt-get install chromium)`)
} else {
  t.test('the report page draws each operation and highlights the failing check', async (t) => {
    const { chromium } = await import('playwright-core')
    const clock = new ManualClock()
    const server = await serve(t, {
      clock,
      scenario: { version: 1, name: 'report', rules: [{ name: 'storm', match: { method: 'POST', path: '/api/v1/tickets' }, repeat: true, sequence: [{ status: 429, retryAfter: 2 }, { status: 503 }, 'pass'] }] }
    })
    const sleep = async (ms: number) => { clock.advance(ms) }
    // Session ids are letters, digits and ._:@- only, so the markup rides in the Idempotency-Key.
    const session = 'markup'
    const headers = { 'x-mock-session': session }
    await correctClient(server.url, { method: 'POST', path: '/api/v1/tickets', body: { subject: 'ok', description: 'd' }, headers, idempotencyKey: '<script>alert(1)</script>' }, { sleep, random: seededRandom(1) })
    await ignoresRetryAfterClient(server.url, { method: 'POST', path: '/api/v1/tickets?<b>x</b>', body: { subject: 'bad', description: 'd' }, headers: { 'x-mock-session': 'plain' } }, { sleep, random: seededRandom(2) })

    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
    })
    t.teardown(() => browser.close())
    const page = await browser.newPage({ viewport: { width: 900, height: 700 } })
    const dialogs: string[] = []
    page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss() })

    // A client string full of markup must come back as text, never run.
    await page.goto(`${server.url}/__mock/report.html?session=${encodeURIComponent(session)}`)
    t.match(await page.textContent('h1'), 'PASS')
    t.match(await page.content(), '&lt;script&gt;alert(1)&lt;/script&gt;')
    t.same(dialogs, [], 'no script ran')

    await page.goto(`${server.url}/__mock/report.html?session=plain`)
    t.match(await page.textContent('h1'), 'FAIL')
    t.equal(await page.locator('section.fail').count(), 1, 'the failing operation is marked')
    t.match(await page.locator('li.fail').first().textContent(), /respectRetryAfter/)
    t.equal(await page.locator('section svg circle').count(), 4, 'four attempts on the time axis')
    t.ok(await page.locator('section svg rect.ra').count() >= 1, 'Retry-After windows drawn')
    const red = await page.locator('li.fail').first().evaluate((el) => (globalThis as unknown as { getComputedStyle: (e: unknown) => { color: string } }).getComputedStyle(el).color)
    t.equal(red, 'rgb(207, 34, 46)', 'failures are red')
    const shot = await page.screenshot({ fullPage: true })
    t.ok(shot.length > 10_000, `a real screenshot (${shot.length} bytes)`)
    const dir = t.testdir({})
    writeFileSync(join(dir, 'report.png'), shot)
    if (process.env.AURION_MOCK_SCREENSHOT !== undefined) writeFileSync(process.env.AURION_MOCK_SCREENSHOT, shot)
  })
}
