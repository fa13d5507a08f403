// A tiny HTTP stand-in for the mock: answers from a script and journals like the mock does, on a
// ManualClock, so the test clients can be checked end to end without the full server.

import { createHash } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Clock } from '../../server/util/clock.js'
import type { VerifyEntry } from '../../server/verify/operations.js'

export interface ScriptedAnswer {
  status: number
  retryAfter?: number
  /** reset: the connection is destroyed without an answer. */
  fault?: 'reset'
}

/** Answers per script key (a JSON body's `subject`, else "METHOD /path"); the last one repeats. */
export type Script = Record<string, (number | ScriptedAnswer)[]>

export interface ScriptedServer {
  url: string
  journal: VerifyEntry[]
  close (): Promise<void>
}

/** Listens on a free port of 127.0.0.1; `journal` fills as requests arrive, timed by `clock`. */
export async function startScriptedServer (script: Script, clock: Clock): Promise<ScriptedServer> {
  const journal: VerifyEntry[] = []
  const served = new Map<string, number>()
  let nextId = 1001
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString()
      const body: unknown = raw === '' ? undefined : JSON.parse(raw)
      const subject = typeof body === 'object' && body !== null && 'subject' in body ? String(body.subject) : undefined
      const path = (req.url ?? '/').split('?')[0] ?? '/'
      const key = subject ?? `${req.method} ${path}`
      const count = served.get(key) ?? 0
      served.set(key, count + 1)
      const answers = script[key] ?? [200]
      const pick = answers[Math.min(count, answers.length - 1)] ?? 200
      const answer: ScriptedAnswer = typeof pick === 'number' ? { status: pick } : pick
      const idem = req.headers['idempotency-key']
      const entry: VerifyEntry = {
        seq: journal.length + 1,
        time: new Date(clock.now()).toISOString(),
        at: clock.now(),
        method: req.method ?? 'GET',
        path,
        apiKey: 'ak_live_…0001',
        status: answer.fault === 'reset' ? 0 : answer.status,
        durationMs: 0
      }
      if (typeof idem === 'string') entry.idempotencyKey = idem
      if (raw !== '') entry.bodyHash = createHash('sha256').update(raw).digest('hex').slice(0, 16)
      if (answer.retryAfter !== undefined) entry.retryAfter = answer.retryAfter
      if (answer.fault !== undefined) entry.fault = answer.fault
      if (answer.status === 201 && answer.fault === undefined) entry.resourceId = nextId++
      journal.push(entry)
      if (answer.fault === 'reset') {
        req.socket.destroy()
        return
      }
      const headers: Record<string, string> = { 'content-type': 'application/json' }
      if (answer.retryAfter !== undefined) headers['retry-after'] = String(answer.retryAfter)
      const payload = answer.status >= 400 ? { error: 'scripted', message: 'scripted answer' } : { id: entry.resourceId ?? 1 }
      res.writeHead(answer.status, headers).end(JSON.stringify(payload))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    journal,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    })
  }
}
