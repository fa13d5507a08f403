// The store's errors: coded like the mock's other internal errors, and what a full collection throws.

import t from 'tap'
import { MockError } from '../../server/errors.js'
import { CapacityError, StoreError } from '../../server/store/types.js'

t.test('a CapacityError is a StoreError with its code, the collection and the limit', async (t) => {
  const err = new CapacityError('tickets', 10)
  t.ok(err instanceof StoreError && err instanceof MockError)
  t.match(err, { name: 'CapacityError', code: 'AURION_MOCK_CAPACITY', collection: 'tickets', limit: 10 })
  t.match(err.message, /already holds 10 tickets records; reset the session or raise --max-records/)
  t.match(new StoreError(), { name: 'StoreError', code: 'AURION_MOCK_STORE' })
})
