// One session's records of one kind: seed records first, capped, ids continuing after the seed's.

import { CapacityError } from '../errors.js'
import type { Collection, Identified } from '../types.js'
import type { Tally } from './options.js'

export class MemoryCollection<T extends Identified> implements Collection<T> {
  #name: string
  #records: Map<string | number, T>
  #nextId: number
  #limit: number
  #tally: Tally

  constructor (name: string, seed: readonly Identified[], firstId: number, limit: number, tally: Tally) {
    this.#name = name
    this.#tally = tally
    // Seed records are shared between sessions and never changed: an update puts a new object.
    this.#records = new Map(seed.map((r) => [r.id, r as T]))
    // Ids continue after the seed's (KB articles 101-120, then 121), or start at firstId.
    let max = 0
    for (const r of seed) if (typeof r.id === 'number' && r.id > max) max = r.id
    this.#nextId = max === 0 ? firstId : max + 1
    this.#limit = limit
  }

  get (id: string | number): T | undefined { return this.#records.get(id) }
  all (): T[] { return [...this.#records.values()] }
  nextId (): number { return this.#nextId++ }
  size (): number { return this.#records.size }

  delete (id: string | number): boolean {
    const deleted = this.#records.delete(id)
    if (deleted) this.#tally(-1)
    return deleted
  }

  put (record: T): void {
    if (this.#records.has(record.id)) this.#records.set(record.id, record)
    else this.#add(record)
  }

  insert (record: T): boolean {
    if (this.#records.has(record.id)) return false
    this.#add(record)
    return true
  }

  #add (record: T): void {
    if (this.#records.size >= this.#limit) throw new CapacityError(this.#name, this.#limit)
    this.#records.set(record.id, record)
    this.#tally(1)
  }
}
