// The Redis connection of the shared store: ioredis, set up to fail fast while Redis is away
// (no offline queue, no retried commands) and to reconnect by itself; the store's scripts are
// defined on it once (ioredis sends each by SHA, loading it again after a Redis restart).

import { Redis, type Result } from 'ioredis'
import { StoreError } from '../errors.js'
import { ACTIVATE_FOR, ACTIVE, FIND, RESET, SESSION_IDS, TOUCH } from './lua-store.js'
import { APPEND_DELIVERY, APPEND_JOURNAL, CLAIM, COUNT_IN_WINDOW, INCR, NEXT_ID, READ_RECORDS, SET_VALUE, WRITE_RECORD } from './lua-session.js'

/** How long a command may wait for its answer before the request gets a 503. */
export const COMMAND_TIMEOUT_MS = 2000
/** Longest pause between reconnection attempts. */
const MAX_RECONNECT_DELAY_MS = 500

export type ScriptArg = string | number

const SCRIPTS = {
  aurionTouch: TOUCH,
  aurionFind: FIND,
  aurionActive: ACTIVE,
  aurionActivateFor: ACTIVATE_FOR,
  aurionSessionIds: SESSION_IDS,
  aurionReset: RESET,
  aurionIncr: INCR,
  aurionSetValue: SET_VALUE,
  aurionCountInWindow: COUNT_IN_WINDOW,
  aurionClaim: CLAIM,
  aurionWriteRecord: WRITE_RECORD,
  aurionReadRecords: READ_RECORDS,
  aurionNextId: NEXT_ID,
  aurionAppendJournal: APPEND_JOURNAL,
  aurionAppendDelivery: APPEND_DELIVERY
} as const

export type ScriptName = keyof typeof SCRIPTS

declare module 'ioredis' {
  // The scripts defined by defineCommand, typed the way ioredis documents for TypeScript.
  interface RedisCommander<Context> {
    aurionTouch (prefix: string, ...args: ScriptArg[]): Result<unknown, Context>
    aurionFind (prefix: string, ...args: ScriptArg[]): Result<unknown, Context>
    aurionActive (prefix: string, ...args: ScriptArg[]): Result<unknown, Context>
    aurionActivateFor (prefix: string, ...args: ScriptArg[]): Result<unknown, Context>
    aurionSessionIds (prefix: string, ...args: ScriptArg[]): Result<unknown, Context>
    aurionReset (prefix: string, ...args: ScriptArg[]): Result<unknown, Context>
    aurionIncr (prefix: string, ...args: ScriptArg[]): Result<unknown, Context>
    aurionSetValue (prefix: string, ...args: ScriptArg[]): Result<unknown, Context>
    aurionCountInWindow (prefix: string, ...args: ScriptArg[]): Result<unknown, Context>
    aurionClaim (prefix: string, ...args: ScriptArg[]): Result<unknown, Context>
    aurionWriteRecord (prefix: string, ...args: ScriptArg[]): Result<unknown, Context>
    aurionReadRecords (prefix: string, ...args: ScriptArg[]): Result<unknown, Context>
    aurionNextId (prefix: string, ...args: ScriptArg[]): Result<unknown, Context>
    aurionAppendJournal (prefix: string, ...args: ScriptArg[]): Result<unknown, Context>
    aurionAppendDelivery (prefix: string, ...args: ScriptArg[]): Result<unknown, Context>
  }
}

/** A store URL with any password hidden, for messages. */
export function shownUrl (url: string): string {
  try {
    const u = new URL(url)
    if (u.password !== '') u.password = '***'
    return u.toString().replace(/\/$/, '')
  } catch {
    return url
  }
}

/** The one StoreError for "Redis did not answer": the request gets a 503, the caller may retry. */
export function unreachable (url: string, cause?: unknown): StoreError {
  const why = cause instanceof Error ? `: ${cause.message}` : ''
  return new StoreError('AURION_MOCK_STORE', `the shared store ${shownUrl(url)} is unreachable${why}`)
}

/**
 * Connects to Redis at `url` and defines the store's scripts. Rejects with a StoreError naming the
 * URL when Redis cannot be reached now; once connected, reconnects by itself for ever.
 */
export async function connectRedis (url: string): Promise<Redis> {
  let connected = false
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: COMMAND_TIMEOUT_MS,
    // No enableAutoPipelining: it batches a turn's commands into one write and saved Redis about a
    // third of its CPU per request, but a batch waits until the one in flight is answered, which
    // doubled p99 at 50 connections (bench/RESULTS.md, 2026-12-03). A request's first hook sends
    // one command either way (RedisStore answers its reads from the one touch).
    // Unreachable at start is final (the caller exits); once connected, a lost Redis is retried for ever.
    retryStrategy: (attempt) => connected ? Math.min(attempt * 50, MAX_RECONNECT_DELAY_MS) : null
  })
  // Without a listener, a lost connection would be an unhandled 'error' event; requests see the
  // failure through their own commands.
  let lastError: unknown
  redis.on('error', (err) => { lastError = err })
  for (const [name, lua] of Object.entries(SCRIPTS)) redis.defineCommand(name, { numberOfKeys: 1, lua })
  try {
    await redis.connect()
    await redis.ping()
    connected = true
  } catch (err) {
    // A refused connection has ended the client already (disconnect() would then hold the process
    // for its timeout); a refused command after connecting (a wrong password) has not.
    if (redis.status !== 'end') redis.disconnect()
    // The socket's own error (ECONNREFUSED, ENOTFOUND) says more than "Connection is closed".
    throw unreachable(url, lastError ?? err)
  }
  return redis
}
