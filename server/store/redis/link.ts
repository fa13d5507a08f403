// What every part of the Redis store shares: the client, the key prefix, the bounds, the seed,
// and the one way to run a script (a lost Redis becomes a StoreError, never a crash).

import type { Redis } from 'ioredis'
import type { Identified } from '../types.js'
import type { ResolvedOptions } from '../memory/options.js'
import { unreachable, type ScriptArg, type ScriptName } from './client.js'

/** One kind's seed records, ready for lookups by record key. */
export interface SeedKind {
  records: readonly Identified[]
  byKey: ReadonlyMap<string, Identified>
  /** The first id `nextId` hands out: after the seed's largest integer id, else the configured first id. */
  firstId: number
}

export interface Link {
  redis: Redis
  url: string
  prefix: string
  sessionTtlMs: number
  options: ResolvedOptions
  seedOf (kind: string): SeedKind
}

/** A record's field in its kind's hash: the id with its type, so 7 and "7" stay apart. */
export function recordKey (id: string | number): string {
  return typeof id === 'number' ? `n:${id}` : `s:${id}`
}

/** Runs one of the store's scripts; any failure to reach Redis becomes the store's StoreError. */
export function runScript (link: Link, name: ScriptName, args: ScriptArg[]): Promise<unknown> {
  return link.redis[name](link.prefix, ...args).catch((err: unknown) => { throw asStoreError(link, err) })
}

/** Runs a plain command the same way. */
export function runCommand<T> (link: Link, command: (redis: Redis) => Promise<T>): Promise<T> {
  return command(link.redis).catch((err: unknown) => { throw asStoreError(link, err) })
}

function asStoreError (link: Link, err: unknown): unknown {
  // A ReplyError is Redis refusing a command (a bug of ours, not an outage): it stays as it is.
  if (err instanceof Error && err.name === 'ReplyError') return err
  return unreachable(link.url, err)
}

/** Makes each kind's seed lookup once, on first use. */
export function seedKinds (options: ResolvedOptions): (kind: string) => SeedKind {
  const made = new Map<string, SeedKind>()
  return (kind) => {
    let s = made.get(kind)
    if (s === undefined) {
      const records = options.seed()[kind] ?? []
      let max = 0
      for (const r of records) if (typeof r.id === 'number' && r.id > max) max = r.id
      s = { records, byKey: new Map(records.map((r) => [recordKey(r.id), r])), firstId: max === 0 ? options.firstId : max + 1 }
      made.set(kind, s)
    }
    return s
  }
}
