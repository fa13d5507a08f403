// The delivery queue: one lane per session and webhook, bounded, sending one delivery at a time so
// a webhook sees events in the order they happened (unless a fault reorders them). Retries wait on
// the server's clock. Every attempt is journaled in its session. Nothing here runs on the request path.

import type { DeliveryEntry, SessionState } from '../store/types.js'
import type { Clock } from '../util/clock.js'
import type { Sender } from './send.js'

/** The documented choice where Aurion is silent: retry after 1 s, 5 s, 30 s, 2 min, 10 min, then give up. */
export const DEFAULT_RETRY_SCHEDULE_MS: readonly number[] = Object.freeze([1_000, 5_000, 30_000, 120_000, 600_000])
/** Deliveries waiting per webhook; more are journaled as overflow and not sent. */
export const DEFAULT_MAX_QUEUE = 1000
/** Deliveries waiting over all webhooks and sessions: what bounds the queue's memory. */
export const DEFAULT_MAX_TOTAL = 10_000

/** One event (or a scripted copy of it) on its way to one webhook. */
export interface Delivery {
  session: SessionState
  eventId: string
  eventType: string
  webhookId: string
  url: string
  body: string
  signature: string
  sent: DeliveryEntry['sent']
  /** Scripted copies and forgeries are sent once; events are retried. */
  retried: boolean
  fault?: { type: string; rule: string; step: number }
  attempt: number
}

interface Lane {
  ready: Delivery[]
  held: Delivery[]
  busy: boolean
  /** Its session was reset: what waits is forgotten, what is in flight finishes unrecorded. */
  cancelled: boolean
  /** Deliveries of this lane not yet finished: ready, held, waiting for a retry or in flight. */
  size: number
}

export interface QueueOptions {
  clock: Clock
  sender: Sender
  retryScheduleMs?: readonly number[]
  maxQueue?: number
  maxTotal?: number
}

/** A lane's key: its session, then its webhook (session ids never hold a NUL). */
function laneKey (d: Delivery): string {
  return `${d.session.id}\u0000${d.webhookId}`
}

/** The journal entry of an attempt, with the fault's rule and step when one shaped it. */
export function entryOf (d: Delivery, at: number, fields: Pick<DeliveryEntry, 'status' | 'durationMs'> & Partial<DeliveryEntry>): Omit<DeliveryEntry, 'seq' | 'time'> {
  const entry: Omit<DeliveryEntry, 'seq' | 'time'> = { at, eventId: d.eventId, eventType: d.eventType, webhookId: d.webhookId, url: d.url, attempt: d.attempt, sent: d.sent, ...fields }
  if (d.fault !== undefined) Object.assign(entry, { fault: d.fault.type, rule: d.fault.rule, step: d.fault.step })
  return entry
}

export class DeliveryQueue {
  readonly #lanes = new Map<string, Lane>()
  readonly #clock: Clock
  readonly #sender: Sender
  readonly #schedule: readonly number[]
  readonly #maxQueue: number
  readonly #maxTotal: number
  /** Deliveries not yet finished, over every lane. */
  #total = 0
  #closed = false
  /** Lanes with work ready or in flight, and who waits for them all to settle. */
  #active = 0
  #idleWaiters: Array<() => void> = []

  constructor (options: QueueOptions) {
    this.#clock = options.clock
    this.#sender = options.sender
    this.#schedule = options.retryScheduleMs ?? DEFAULT_RETRY_SCHEDULE_MS
    this.#maxQueue = options.maxQueue ?? DEFAULT_MAX_QUEUE
    this.#maxTotal = options.maxTotal ?? DEFAULT_MAX_TOTAL
  }

  /**
   * Queues a delivery: sent when its lane is free, after `delayMs` of the clock if given; with
   * `holdMs`, held back until the lane's next delivery has been sent (at most holdMs).
   */
  add (d: Delivery, options: { delayMs?: number; holdMs?: number } = {}): void {
    if (this.#closed) return
    if (d.session.dropped === true) return
    const lane = this.#lane(d)
    if (lane.size >= this.#maxQueue || this.#total >= this.#maxTotal) {
      this.#journal(d, entryOf(d, this.#clock.now(), { status: 0, durationMs: 0, error: 'overflow', failed: true }))
      return
    }
    this.#size(lane, +1)
    if (options.holdMs !== undefined) {
      lane.held.push(d)
      void this.#clock.sleep(options.holdMs).then(() => {
        const i = lane.held.indexOf(d)
        if (i !== -1) this.#ready(lane, ...lane.held.splice(i, 1))
      })
    } else if (options.delayMs !== undefined && options.delayMs > 0) {
      void this.#clock.sleep(options.delayMs).then(() => this.#ready(lane, d))
    } else {
      this.#ready(lane, d)
    }
  }

  /** Lanes (session and webhook pairs) with a delivery not yet finished. */
  get lanes (): number {
    return this.#lanes.size
  }

  /** Deliveries not yet finished (ready, held, waiting for a retry or in flight), over every lane. */
  get waiting (): number {
    return this.#total
  }

  /** Resolves once no lane has a delivery ready or in flight (retries and delays may still wait on the clock). */
  idle (): Promise<void> {
    if (this.#active === 0) return Promise.resolve()
    return new Promise((resolve) => { this.#idleWaiters.push(resolve) })
  }

  /** Forgets what waits for one session's webhooks (or every session's): the session was reset. */
  forget (sessionId?: string): void {
    for (const [key, lane] of this.#lanes) {
      if (sessionId !== undefined && !key.startsWith(`${sessionId}\u0000`)) continue
      this.#cancel(key, lane)
    }
  }

  /** Stops sending; what waits is forgotten. */
  close (): void {
    this.#closed = true
    this.#lanes.clear()
    this.#sender.close()
  }

  /** A lane's deliveries are forgotten: what waits is not sent, what is in flight finishes unrecorded. */
  #cancel (key: string, lane: Lane): void {
    lane.cancelled = true
    lane.ready.length = 0
    lane.held.length = 0
    this.#total -= lane.size
    lane.size = 0
    if (this.#lanes.get(key) === lane) this.#lanes.delete(key)
  }

  #size (lane: Lane, delta: number): void {
    lane.size += delta
    this.#total += delta
  }

  #lane (d: Delivery): Lane {
    const key = laneKey(d)
    let lane = this.#lanes.get(key)
    if (lane === undefined) {
      lane = { ready: [], held: [], busy: false, cancelled: false, size: 0 }
      this.#lanes.set(key, lane)
    }
    return lane
  }

  #drop (lane: Lane, d: Delivery): void {
    const key = laneKey(d)
    if (this.#lanes.get(key) === lane) this.#lanes.delete(key)
  }

  #ready (lane: Lane, ...ds: Delivery[]): void {
    if (this.#closed || lane.cancelled) return
    // The store forgot the session while this waited (a delay or a retry): so does the queue.
    if (ds[0]?.session.dropped === true) {
      this.#cancel(laneKey(ds[0]), lane)
      return
    }
    lane.ready.push(...ds)
    this.#pump(lane)
  }

  #pump (lane: Lane): void {
    if (lane.busy || this.#closed) return
    const d = lane.ready.shift()
    if (d === undefined) return
    lane.busy = true
    this.#active++
    void this.#attempt(lane, d).finally(() => {
      lane.busy = false
      // A held delivery goes right after the one that came after it.
      if (lane.held.length > 0 && d.attempt === 1) lane.ready.unshift(...lane.held.splice(0))
      this.#pump(lane)
      // A lane with nothing left is let go, so lanes do not pile up over many sessions.
      if (lane.size === 0 && !lane.busy) this.#drop(lane, d)
      if (--this.#active === 0) for (const wake of this.#idleWaiters.splice(0)) wake()
    })
  }

  async #attempt (lane: Lane, d: Delivery): Promise<void> {
    const at = this.#clock.now()
    const result = await this.#sender.send(d.url, d.body, d.signature)
    if (this.#closed || lane.cancelled) return
    const fields: Pick<DeliveryEntry, 'status' | 'durationMs'> & Partial<DeliveryEntry> = { status: result.status, durationMs: this.#clock.now() - at }
    if ('error' in result) fields.error = result.error
    const ok = result.status >= 200 && result.status < 300
    const wait = this.#schedule[d.attempt - 1]
    if (ok || !d.retried) {
      this.#size(lane, -1)
    } else if (wait === undefined) {
      fields.failed = true
      this.#size(lane, -1)
    } else {
      fields.retryAt = this.#clock.now() + wait
      void this.#clock.sleep(wait).then(() => this.#ready(lane, { ...d, attempt: d.attempt + 1 }))
    }
    this.#journal(d, entryOf(d, at, fields))
  }

  #journal (d: Delivery, entry: Omit<DeliveryEntry, 'seq' | 'time'>): void {
    const written = d.session.appendDelivery(entry)
    // A shared store answers later; a failed write must not become an unhandled rejection.
    if (written instanceof Promise) written.catch(() => {})
  }
}
