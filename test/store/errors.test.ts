// The store's errors: each code declared once, and what a full collection throws.

import t from 'tap'
import { CapacityError, STORE_ERRORS, StoreError } from '../../server/store/types.js'

t.test('every store error code is declared once, with a message', async (t) => {
  t.same(Object.keys(STORE_ERRORS), ['ERR_STORE_CAPACITY'], 'a new code is a deliberate change: update this list')
  for (const [code, message] of Object.entries(STORE_ERRORS)) {
    t.match(code, /^ERR_STORE_[A-Z_]+$/)
    t.ok(message.length > 0)
  }
})

t.test('a CapacityError is a StoreError with its code, the collection and the limit', async (t) => {
  const err = new CapacityError('tickets', 10)
  t.ok(err instanceof StoreError)
  t.match(err, { name: 'CapacityError', code: 'ERR_STORE_CAPACITY', collection: 'tickets', limit: 10 })
  t.match(err.message, /already holds 10 tickets records; reset the session or raise --max-records/)
})
