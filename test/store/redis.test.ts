// The Redis store: the store contract on a real redis-server, and what only a shared store promises
// (two stores on one Redis see one state; session TTL on every key; a lost Redis is a StoreError).

import t, { type Test } from 'tap'
import { RedisStore } from '../../server/store/redis/index.js'
import { startRedis } from '../redis-server.js'
import { runStoreContract } from './contract.js'

const redis = await startRedis(t)
let stores = 0
/** A fresh store: its own key prefix on the one redis-server. */
const connect = async (tt: Test, options: Parameters<typeof RedisStore.connect>[0]) => {
  const store = await RedisStore.connect(options)
  tt.teardown(() => store.close())
  return store
}

await runStoreContract(t, (tt, options) => connect(tt, { ...options, url: redis.url, prefix: `contract-${++stores}:` }))
