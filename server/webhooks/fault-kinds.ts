// The delivery fault kinds: what each does to one delivery, its options and their defaults. The
// schema, the normaliser and the README rows come from this table; the service carries them out.

import type { DeliveryFaultType } from './types.js'

export interface DeliveryOption {
  /** The key in the scenario file. */
  key: string
  /** The field of the checked fault it fills. */
  field: 'delayMs' | 'holdMs' | 'count'
  type: 'duration' | 'integer'
  default: number | string
  description: string
}

export interface DeliveryFaultKind {
  type: DeliveryFaultType
  description: string
  options: readonly DeliveryOption[]
}

export const DELIVERY_FAULT_KINDS: readonly DeliveryFaultKind[] = [
  {
    type: 'duplicate',
    description: 'The event is delivered, then delivered again with the same id, body and signature (a redelivery); a receiver should answer 2xx and not process it twice.',
    options: [{ key: 'copies', field: 'count', type: 'integer', default: 1, description: 'Extra copies sent after the event (default 1).' }]
  },
  {
    type: 'delay',
    description: 'The first attempt waits before it is sent (on the server clock).',
    options: [{ key: 'delay', field: 'delayMs', type: 'duration', default: '5s', description: 'How long (default 5s).' }]
  },
  {
    type: 'reorder',
    description: 'The event is held back until the next event to the same webhook has been sent, so the receiver sees them out of order.',
    options: [{ key: 'hold', field: 'holdMs', type: 'duration', default: '30s', description: 'The longest it is held when no next event comes (default 30s).' }]
  },
  { type: 'drop', description: 'The event is never sent (journaled as dropped).', options: [] },
  {
    type: 'bad-signature',
    description: 'Before the event, a copy with a wrong X-Aurion-Signature is sent once (never retried); a receiver should answer 4xx.',
    options: []
  },
  {
    type: 'changed-body',
    description: 'After the event, a copy with a changed body under the same event id and the original signature is sent once (never retried); a receiver should answer 4xx.',
    options: []
  },
  {
    type: 'burst',
    description: 'After the event, more events of the same type and data, each with its own id, are sent back to back.',
    options: [{ key: 'count', field: 'count', type: 'integer', default: 10, description: 'Extra events (default 10).' }]
  }
]

export const DELIVERY_FAULT_TYPES: readonly DeliveryFaultType[] = DELIVERY_FAULT_KINDS.map((k) => k.type)
