// The shapes of webhook delivery: a stored subscription, and the checked `deliveries:` rules of a scenario.

/** A webhook as the API stores it (api/webhooks.ts); the secret never leaves the mock but in deliveries. */
export interface Subscription extends Record<string, unknown> {
  id: string
  url: string
  events: string[]
  secret: string
  is_active: boolean
  created_at: string
}

export type DeliveryFaultType = 'duplicate' | 'delay' | 'reorder' | 'drop' | 'bad-signature' | 'changed-body' | 'burst'

/** A checked delivery fault: its type and its options in ms or units. */
export interface DeliveryFault {
  type: DeliveryFaultType
  /** delay: how long the first attempt waits. */
  delayMs?: number
  /** reorder: the longest an event is held back waiting for the next one. */
  holdMs?: number
  /** duplicate: extra copies; burst: extra events. */
  count?: number
}

export interface DeliveryStep {
  /** How many matching deliveries this step shapes; undefined on the last step means "for ever". */
  times?: number
  /** Deliver normally. */
  pass: boolean
  fault?: DeliveryFault
}

export interface DeliveryMatch {
  /** Event types; any when absent. */
  events?: string[]
  /** The webhook URL starts with this; any when absent. */
  url?: string
}

/** A rule of the `deliveries:` section: which deliveries it shapes and how, in the style of `rules:`. */
export interface DeliveryRule {
  name: string
  description?: string
  match: DeliveryMatch
  /** Let the first N matching deliveries through untouched. */
  after: number
  /** Probability (seeded) that a matching delivery is affected. */
  chance?: number
  steps: DeliveryStep[]
  repeat: boolean
}
