// The webhook service: turns an event in a session into signed deliveries to the session's webhooks,
// shaped by the active scenario's `deliveries:` rules. `emit` only queues a task: the API answer
// never waits for subscriptions to be read, faults decided or receivers called.

import type { Scenario } from '../scenario/types.js'
import type { SessionState } from '../store/types.js'
import type { Clock } from '../util/clock.js'
import { decideDelivery, type DeliveryDecision } from './engine.js'
import { makeEvent, type WebhookEvent } from './events.js'
import { isAllowedWebhookUrl } from './hosts.js'
import { DeliveryQueue, entryOf, type Delivery } from './queue.js'
import { createSender } from './send.js'
import { signBody } from './sign.js'
import type { Subscription } from './types.js'

/** The documented choice where Aurion is silent: a receiver has 10 s to answer. */
export const DEFAULT_DELIVERY_TIMEOUT_MS = 10_000
/** The session counter event ids are numbered by. */
const EVENT_COUNTER = 'webhook-events'

/** Where an event happened: its session, the scenario that session runs, and that scenario's seed. */
export interface EventOrigin {
  session: SessionState
  scenario: Scenario
  seed: number
}

/** What an emit made: the event, and the webhooks it is queued for. */
export interface Emitted {
  event: WebhookEvent
  webhooks: string[]
}

export interface WebhookServiceOptions {
  clock: Clock
  /** Hosts beyond loopback that may receive deliveries (--webhook-hosts). */
  allowedHosts: readonly string[]
  timeoutMs?: number
  retryScheduleMs?: readonly number[]
}

export class WebhookService {
  readonly #clock: Clock
  readonly #allowed: readonly string[]
  readonly #queue: DeliveryQueue
  /** Emits are prepared one after another, in the order they happened. */
  #tasks: Array<() => Promise<void>> = []
  #draining = false

  constructor (options: WebhookServiceOptions) {
    this.#clock = options.clock
    this.#allowed = options.allowedHosts
    this.#queue = new DeliveryQueue({
      clock: options.clock,
      sender: createSender(options.clock, options.timeoutMs ?? DEFAULT_DELIVERY_TIMEOUT_MS),
      ...(options.retryScheduleMs !== undefined ? { retryScheduleMs: options.retryScheduleMs } : {})
    })
  }

  /** True when deliveries may go to this URL's host. */
  allows (url: string): boolean {
    return isAllowedWebhookUrl(url, this.#allowed)
  }

  /**
   * Queues an event for every webhook of the session subscribed to it; returns at once. The
   * promise tells what was queued (the admin API and the library wait for it; the API never does).
   */
  emit (origin: EventOrigin, type: string, data: Record<string, unknown>): Promise<Emitted> {
    const now = this.#clock.now()
    return new Promise((resolve, reject) => {
      this.#tasks.push(() => this.#prepare(origin, type, data, now).then(resolve, reject))
      if (!this.#draining) {
        this.#draining = true
        setImmediate(() => { void this.#drain() })
      }
    })
  }

  /** Resolves when every emitted event is queued and no delivery is ready or in flight. */
  async idle (): Promise<void> {
    while (this.#draining || this.#tasks.length > 0) await new Promise((resolve) => setImmediate(resolve))
    await this.#queue.idle()
  }

  /** Forgets the deliveries waiting for a session (or every session): call it when sessions are reset. */
  forget (sessionId?: string): void {
    this.#queue.forget(sessionId)
  }

  close (): void {
    this.#tasks = []
    this.#queue.close()
  }

  async #drain (): Promise<void> {
    for (let task = this.#tasks.shift(); task !== undefined; task = this.#tasks.shift()) await task()
    this.#draining = false
  }

  async #prepare (origin: EventOrigin, type: string, data: Record<string, unknown>, now: number): Promise<Emitted> {
    const { session, seed } = origin
    const event = makeEvent(seed, await session.incr(EVENT_COUNTER), type, data, now)
    const hooks = (await session.collection<Subscription>('webhooks').all())
      .filter((h) => h.is_active && h.events.includes(type) && this.allows(h.url))
    for (const hook of hooks) {
      const decision = await decideDelivery(origin.scenario.deliveries ?? [], origin.scenario.name, { eventType: type, url: hook.url }, session, seed)
      await this.#deliver(origin, event, hook, decision, now)
    }
    return { event, webhooks: hooks.map((h) => h.id) }
  }

  /** Carries out a delivery decision: the one switch over the delivery fault kinds. */
  async #deliver (origin: EventOrigin, event: WebhookEvent, hook: Subscription, decision: DeliveryDecision | undefined, now: number): Promise<void> {
    const body = JSON.stringify(event)
    const fault = decision?.fault
    const d: Delivery = {
      session: origin.session, eventId: event.id, eventType: event.type, webhookId: hook.id, url: hook.url,
      body, signature: signBody(hook.secret, body), sent: 'event', retried: true, attempt: 1,
      ...(decision !== undefined && fault !== undefined ? { fault: { type: fault.type, rule: decision.rule, step: decision.step } } : {})
    }
    if (fault === undefined) return this.#queue.add(d)
    switch (fault.type) {
      case 'drop': {
        const written = origin.session.appendDelivery(entryOf(d, now, { status: 0, durationMs: 0, error: 'dropped' }))
        if (written instanceof Promise) await written
        return
      }
      case 'delay':
        return this.#queue.add(d, { delayMs: fault.delayMs ?? 0 })
      case 'reorder':
        return this.#queue.add(d, { holdMs: fault.holdMs ?? 0 })
      case 'duplicate':
        this.#queue.add(d)
        for (let i = 0; i < (fault.count ?? 1); i++) this.#queue.add({ ...d, sent: 'duplicate', retried: false })
        return
      case 'bad-signature':
        this.#queue.add({ ...d, sent: 'bad-signature', retried: false, signature: signBody(`not-${hook.secret}`, body) })
        return this.#queue.add(d)
      case 'changed-body': {
        this.#queue.add(d)
        const changed = JSON.stringify({ ...event, data: { ...event.data, changed_by_mock: true } })
        return this.#queue.add({ ...d, sent: 'changed-body', retried: false, body: changed })
      }
      case 'burst': {
        this.#queue.add(d)
        for (let i = 0; i < (fault.count ?? 1); i++) {
          const extra = makeEvent(origin.seed, await origin.session.incr(EVENT_COUNTER), event.type, event.data, now)
          const extraBody = JSON.stringify(extra)
          this.#queue.add({ ...d, eventId: extra.id, body: extraBody, signature: signBody(hook.secret, extraBody) })
        }
      }
    }
  }
}
