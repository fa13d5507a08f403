// The store's errors: declared once with the mock's other internal errors (server/errors.ts).

export { CapacityError, StoreError } from '../errors.js'
