// The webhook receiver's grade: the delivery journal → checks of how the receiver answered. The mock
// cannot see a receiver's side effects, only its answers: 2xx to events in time, no 5xx to a valid
// event, 4xx to forgeries, 2xx to redeliveries.

import type { Expect } from '../expect/index.js'
import type { DeliveryEntry } from '../store/types.js'
import type { AttemptEvidence, CheckResult } from './checks.js'

export type ReceiverCheckName = 'receiverAnswers2xx' | 'receiverNo5xx' | 'receiverRejectsForgeries' | 'receiverAcceptsRedeliveries'

export interface ReceiverReport {
  /** Delivery attempts sent (scripted drops and overflows are not). */
  attempts: number
  /** Distinct events among them. */
  events: number
  checks: CheckResult[]
  ok: boolean
}

/** At most this many failing attempts are spelled out in a message. */
const MAX_LISTED = 3

const is2xx = (e: DeliveryEntry): boolean => e.status >= 200 && e.status < 300

function label (e: DeliveryEntry): string {
  return `${e.eventType} ${e.eventId} → ${e.webhookId}`
}

function answer (e: DeliveryEntry): string {
  return e.status === 0 ? (e.error ?? 'no answer') : String(e.status)
}

function evidence (e: DeliveryEntry, flagged: boolean): AttemptEvidence {
  const out: AttemptEvidence = { operation: `${label(e)} (${e.sent})`, n: e.attempt, at: e.at, status: e.status, durationMs: e.durationMs }
  const fault = e.error ?? e.fault
  if (fault !== undefined) out.fault = fault
  if (e.rule !== undefined) out.rule = e.rule
  if (e.step !== undefined) out.step = e.step
  if (flagged) out.flagged = true
  return out
}

/** A check over some attempts: `bad` picks the failing ones; `kind` names them; `good` and `wrong` say what they did. */
function check (name: ReceiverCheckName, attempts: readonly DeliveryEntry[], bad: (e: DeliveryEntry) => boolean, kind: string, good: string, wrong: string): CheckResult | undefined {
  if (attempts.length === 0) return undefined
  const failing = attempts.filter(bad)
  const listed = failing.slice(0, MAX_LISTED).map((e) => `${label(e)} attempt ${e.attempt}: ${answer(e)}`).join('; ')
  const more = failing.length > MAX_LISTED ? ` and ${failing.length - MAX_LISTED} more` : ''
  const message = failing.length === 0
    ? `${attempts.length} ${kind} ${good}`
    : `${failing.length} of ${attempts.length} ${kind} ${wrong}: ${listed}${more}`
  return { name, passed: failing.length === 0, message, evidence: { attempts: attempts.map((e) => evidence(e, bad(e))) } }
}

/** Grades the receivers of a session's deliveries; undefined when nothing was delivered. */
export function buildReceiverReport (entries: readonly DeliveryEntry[], expect: Expect): ReceiverReport | undefined {
  const sent = entries.filter((e) => e.error !== 'dropped' && e.error !== 'overflow')
  if (sent.length === 0) return undefined
  const events = sent.filter((e) => e.sent === 'event')
  const valid = sent.filter((e) => e.sent === 'event' || e.sent === 'duplicate')
  const forged = sent.filter((e) => e.sent === 'bad-signature' || e.sent === 'changed-body')
  const copies = sent.filter((e) => e.sent === 'duplicate')
  const checks = [
    // A 5xx is receiverNo5xx's alone, so one mistake fails one check.
    expect.receiverAnswers2xx ? check('receiverAnswers2xx', events, (e) => !is2xx(e) && e.status < 500, 'event deliveries', 'answered 2xx within the timeout', 'got no 2xx within the timeout') : undefined,
    expect.receiverNo5xx ? check('receiverNo5xx', valid, (e) => e.status >= 500, 'validly signed deliveries', 'answered without a 5xx', 'answered 5xx') : undefined,
    expect.receiverRejectsForgeries ? check('receiverRejectsForgeries', forged, (e) => e.status < 400 || e.status >= 500, 'forged deliveries (bad signature or changed body)', 'answered 4xx', 'were not refused with a 4xx') : undefined,
    expect.receiverAcceptsRedeliveries ? check('receiverAcceptsRedeliveries', copies, (e) => !is2xx(e), 'redeliveries of an event', 'answered 2xx', 'got no 2xx') : undefined
  ].filter((c): c is CheckResult => c !== undefined)
  return { attempts: sent.length, events: new Set(sent.map((e) => e.eventId)).size, checks, ok: checks.every((c) => c.passed) }
}
