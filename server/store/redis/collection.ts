// One session's records of one kind in Redis: only what changed over the seed is stored (a
// changed or added record, a '' tombstone for a deleted seed record), with the order of additions.
// A kind the session had not changed when the request began is answered from the seed at once.

import { CapacityError } from '../errors.js'
import type { Collection, Identified } from '../types.js'
import { recordKey, runCommand, runScript, type Link } from './link.js'

/** The parts of a session a collection needs. */
export interface SessionRef {
  readonly link: Link
  /** [id, generation, TTL ms]: the first arguments of every session script. */
  readonly args: [string, string, number]
  readonly base: string
  /** Whether the kind may differ from the seed (changed before the request began, or since through this session). */
  changed (kind: string): boolean
  markChanged (kind: string): void
}

function asRecord<T> (json: string): T {
  return JSON.parse(json) as T
}

export class RedisCollection<T extends Identified> implements Collection<T> {
  readonly #kind: string
  readonly #session: SessionRef

  constructor (kind: string, session: SessionRef) {
    this.#kind = kind
    this.#session = session
  }

  get #seed () { return this.#session.link.seedOf(this.#kind) }

  get (id: string | number): T | undefined | Promise<T | undefined> {
    const key = recordKey(id)
    const seeded = this.#seed.byKey.get(key) as T | undefined
    if (!this.#session.changed(this.#kind)) return seeded
    return runCommand(this.#session.link, (r) => r.hget(`${this.#session.base}c:${this.#kind}`, key))
      .then((v) => v === null ? seeded : v === '' ? undefined : asRecord<T>(v))
  }

  all (): T[] | Promise<T[]> {
    const seed = this.#seed
    if (!this.#session.changed(this.#kind)) return [...seed.records] as T[]
    return runScript(this.#session.link, 'aurionReadRecords', [...this.#session.args, this.#kind]).then((reply) => {
      const [flat, order] = reply as [string[], string[]]
      const changed = new Map<string, string>()
      for (let i = 0; i < flat.length; i += 2) changed.set(flat[i]!, flat[i + 1]!)
      const added = new Set(order)
      const out: T[] = []
      // Seed records keep their place (replaced in place); deleted ones are gone; re-added ones come later.
      for (const [key, record] of seed.byKey) {
        if (added.has(key)) continue
        const v = changed.get(key)
        if (v === undefined) out.push(record as T)
        else if (v !== '') out.push(asRecord<T>(v))
      }
      for (const key of order) out.push(asRecord<T>(changed.get(key)!))
      return out
    })
  }

  size (): number | Promise<number> {
    const seed = this.#seed
    if (!this.#session.changed(this.#kind)) return seed.records.length
    return runCommand(this.#session.link, (r) => r.hget(`${this.#session.base}num`, `n:${this.#kind}`))
      .then((n) => n === null ? seed.records.length : Number(n))
  }

  put (record: T): Promise<void> { return this.#write('put', record).then(() => undefined) }
  insert (record: T): Promise<boolean> { return this.#write('insert', record) }

  delete (id: string | number): Promise<boolean> {
    return this.#write('delete', { id })
  }

  nextId (): Promise<number> {
    return runScript(this.#session.link, 'aurionNextId', [...this.#session.args, this.#kind, this.#seed.firstId]).then(Number)
  }

  async #write (mode: 'put' | 'insert' | 'delete', record: Identified): Promise<boolean> {
    const key = recordKey(record.id)
    const { link, args } = this.#session
    this.#session.markChanged(this.#kind)
    const json = mode === 'delete' ? '' : JSON.stringify(record)
    const done = await runScript(link, 'aurionWriteRecord', [
      ...args, mode, this.#kind, key, json, this.#seed.byKey.has(key) ? '1' : '0', this.#seed.records.length,
      link.options.maxRecords, link.options.maxTotalRecords
    ])
    if (done === -1) throw new CapacityError(this.#kind, link.options.maxRecords)
    return done === 1
  }
}
