// A fleet of clients that follow the guidance, run as a process of its own:
// `node fleet.ts URL COUNT UNIT_MS` prints one JSON line per client with the waits it slept.
// Each client creates a ticket, then reads it back, in its own mock session, starting within
// the first second; together they load the machine as a busy CI run does.

import { guidancePolicy } from './policies.js'
import { createRetryClient, httpSend } from './retry-client.js'

const [url, countText, unitText] = process.argv.slice(2)
if (url === undefined) throw new Error('usage: fleet.ts URL COUNT UNIT_MS')
const count = Number(countText ?? 300)
const client = createRetryClient(guidancePolicy({ unitMs: Number(unitText ?? 100) }))
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

async function run (session: string): Promise<void> {
  await sleep(Math.random() * 1000)
  const headers = { 'x-mock-session': session }
  const created = await client(url!, { method: 'POST', path: '/api/v1/tickets', body: { subject: `Load ${session}`, description: 'Under load' }, headers }, { sleep, send: httpSend })
  const id = (created.body as { id?: number } | undefined)?.id ?? 1001
  const read = await client(url!, { method: 'GET', path: `/api/v1/tickets/${id}`, headers }, { sleep, send: httpSend })
  const results = [created, read].map(({ status, attempts, waits }) => ({ status, attempts, waits }))
  process.stdout.write(`${JSON.stringify({ session, results })}\n`)
}

await Promise.all(Array.from({ length: count }, (_, i) => run(`good-${i}`)))
