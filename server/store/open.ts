// The store a server runs on, from its configuration: in this process (the default), or shared
// in Redis with every replica given the same --store (loaded only then).

import type { MockConfig } from '../config.js'
import { seedSource } from '../seed/source.js'
import type { Clock } from '../util/clock.js'
import { MemoryStore } from './memory/index.js'
import type { StateStore } from './types.js'

/** Makes the configured store; a shared one rejects with a StoreError naming its URL when it cannot be reached. */
export async function openStore (config: MockConfig, clock: Clock): Promise<StateStore> {
  const options = {
    seed: await seedSource(config.seed),
    now: () => clock.now(),
    maxSessions: config.maxSessions,
    maxJournal: config.journalSize,
    maxRecords: config.maxRecords,
    maxTotalRecords: config.maxTotalRecords,
    maxClaims: config.maxIdempotencyKeys
  }
  if (config.store === undefined) return new MemoryStore(options)
  const { RedisStore } = await import('./redis/index.js')
  return await RedisStore.connect({ ...options, url: config.store, prefix: config.storePrefix, sessionTtlMs: config.sessionTtlMs })
}
