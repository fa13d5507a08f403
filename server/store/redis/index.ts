// The shared state store on Redis: several mock processes on one Redis behave as one mock. Every
// step that must be exact across processes is one Lua script (lua-*.ts); reads are plain commands.

import type { Redis } from 'ioredis'
import { resolveOptions, type MemoryStoreOptions } from '../memory/options.js'
import type { StateStore, WindowAhead } from '../types.js'
import { connectRedis, type ScriptArg } from './client.js'
import { runCommand, runScript, seedKinds, type Link } from './link.js'
import { countedAhead, RedisSession, sessionFacts } from './session.js'

export { shownUrl } from './client.js'

export const DEFAULT_STORE_PREFIX = 'aurion-mock:'
export const DEFAULT_SESSION_TTL_MS = 3600_000

export interface RedisStoreOptions extends MemoryStoreOptions {
  /** redis://[user:password@]host:port[/db], or rediss:// for TLS. */
  url: string
  /** Put before every key, so several mocks can share one Redis. */
  prefix?: string
  /** A session idle this long is forgotten with every key it owns. */
  sessionTtlMs?: number
}

export class RedisStore implements StateStore {
  readonly #link: Link
  /**
   * Sessions touched in this turn of the event loop: the hooks of one request ask for their
   * session more than once (authenticate, the limiter), and get one answer for one round trip.
   * A window counted ahead by the touch rides on that answer (the RedisSession holds it until its
   * countInWindow takes it), so the limiter's count costs no round trip of its own.
   */
  readonly #recent = new Map<string, Promise<RedisSession>>()

  private constructor (link: Link) {
    this.#link = link
  }

  /** Connects to Redis; rejects with a StoreError naming the URL when it cannot be reached. */
  static async connect (options: RedisStoreOptions): Promise<RedisStore> {
    const redis = await connectRedis(options.url)
    const resolved = resolveOptions(options)
    return new RedisStore({
      redis,
      url: options.url,
      prefix: options.prefix ?? DEFAULT_STORE_PREFIX,
      sessionTtlMs: options.sessionTtlMs ?? DEFAULT_SESSION_TTL_MS,
      options: resolved,
      seedOf: seedKinds(resolved)
    })
  }

  /** The client, for the server's health check and tests. */
  get redis (): Redis { return this.#link.redis }

  session (id: string, ahead?: WindowAhead): Promise<RedisSession> {
    // A session already touched in this turn is answered as it is: its countInWindow counts.
    const recent = this.#recent.get(id)
    if (recent !== undefined) return recent
    const { options, sessionTtlMs } = this.#link
    const args: ScriptArg[] = [id, options.now(), sessionTtlMs, options.maxSessions]
    if (ahead !== undefined) args.push(ahead.key, ahead.windowMs, ahead.now)
    const touched = runScript(this.#link, 'aurionTouch', args)
      .then((reply) => new RedisSession(id, sessionFacts(reply), this.#link, countedAhead(ahead, reply)))
    this.#recent.set(id, touched)
    const forget = () => { if (this.#recent.get(id) === touched) this.#recent.delete(id) }
    touched.then(() => setImmediate(forget), forget)
    return touched
  }

  find (id: string): Promise<RedisSession | undefined> {
    return runScript(this.#link, 'aurionFind', [id]).then((reply) => reply === null ? undefined : new RedisSession(id, sessionFacts(reply), this.#link))
  }

  sessionIds (): Promise<string[]> {
    return runScript(this.#link, 'aurionSessionIds', []) as Promise<string[]>
  }

  activeScenario (sessionId?: string): Promise<string | undefined> {
    // Asked with the session in the same turn (a request's first hook): the touch answered it already.
    const recent = sessionId === undefined ? undefined : this.#recent.get(sessionId)
    if (recent !== undefined) return recent.then((s) => s.activeScenario)
    return runScript(this.#link, 'aurionActive', [sessionId ?? '']).then((name) => typeof name === 'string' ? name : undefined)
  }

  async activateScenario (name: string | undefined, sessionId?: string): Promise<void> {
    const key = `${this.#link.prefix}active`
    if (sessionId === undefined) {
      await runCommand<unknown>(this.#link, (r) => name === undefined ? r.del(key) : r.set(key, name))
      return
    }
    await this.session(sessionId)
    await runScript(this.#link, 'aurionActivateFor', [sessionId, name ?? ''])
  }

  async reset (id?: string): Promise<void> {
    if (id === undefined) this.#recent.clear()
    else this.#recent.delete(id)
    await runScript(this.#link, 'aurionReset', [id ?? ''])
  }

  /** Resolves when Redis answers; rejects with a StoreError naming the URL when it does not. */
  async ping (): Promise<void> {
    await runCommand(this.#link, (r) => r.ping())
  }

  /** Closes the connection (the data stays in Redis). */
  async close (): Promise<void> {
    await this.#link.redis.quit().catch(() => { this.#link.redis.disconnect() })
  }
}
