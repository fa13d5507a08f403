// Values that may come later: the one idiom for calling a store that may or may not be async.

/** A value now, or later: the in-memory store answers synchronously, a networked one would not. */
export type MaybePromise<T> = T | Promise<T>

/** True when the store answered with a promise; the caller awaits only then. */
export function isPending<T> (value: MaybePromise<T>): value is Promise<T> {
  return value instanceof Promise
}

/**
 * Runs `next` on a store's answer: at once when it is a plain value, so a synchronous store keeps
 * the request path free of promise ticks; once it settles when it is a promise.
 */
export function andThen<T, R> (value: MaybePromise<T>, next: (value: T) => MaybePromise<R>): MaybePromise<R> {
  return value instanceof Promise ? value.then(next) : next(value)
}
