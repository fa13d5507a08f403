// The store's own errors, each declared once with a code (as the Aurion errors are in server/errors.ts).

export const STORE_ERRORS = {
  ERR_STORE_CAPACITY: 'a session holds as many records of a kind as it may'
} as const

export type StoreErrorCode = keyof typeof STORE_ERRORS

/** An error of the state store; `code` names its kind. */
export class StoreError extends Error {
  readonly code: StoreErrorCode
  constructor (code: StoreErrorCode, message: string = STORE_ERRORS[code]) {
    super(message)
    this.name = 'StoreError'
    this.code = code
  }
}

/** A collection is full: the session holds as many records of a kind as it may (HTTP 507). */
export class CapacityError extends StoreError {
  readonly collection: string
  readonly limit: number
  constructor (collection: string, limit: number) {
    super('ERR_STORE_CAPACITY', `this session already holds ${limit} ${collection} records; reset the session or raise --max-records`)
    this.name = 'CapacityError'
    this.collection = collection
    this.limit = limit
  }
}
