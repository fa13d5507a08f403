// Webhook events: the Aurion event body and its id, derived from the seed and the session's count.

import { drawInt } from '../util/rng.js'
import { isoSeconds } from '../util/time.js'

export { WEBHOOK_EVENTS } from '../api/schemas/webhooks.js'

/** The body Aurion posts for one event (§6.4). */
export interface WebhookEvent {
  id: string
  type: string
  timestamp: string
  data: Record<string, unknown>
}

/** The nth event id of a session, in the documented evt_ form; the same seed gives the same ids. */
export function eventId (seed: number, n: number): string {
  return `evt_${drawInt(seed, 'event-id', n, 0, 0xffffff).toString(16).padStart(6, '0')}${n.toString(16)}`
}

export function makeEvent (seed: number, n: number, type: string, data: Record<string, unknown>, now: number): WebhookEvent {
  return { id: eventId(seed, n), type, timestamp: isoSeconds(now), data }
}
