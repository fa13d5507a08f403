// Time as the mock sees it: the system clock, or a manual one tests move by hand.

export interface Clock {
  /** Milliseconds since the epoch. */
  now (): number
  /** Resolves after `ms` of this clock's time. */
  sleep (ms: number): Promise<void>
  /** Calls `fn` after `ms` of this clock's time unless the returned cancel is called first. */
  timer (ms: number, fn: () => void): () => void
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => { setTimeout(resolve, ms).unref?.() }),
  timer: (ms, fn) => {
    const t = setTimeout(fn, ms)
    t.unref?.()
    return () => { clearTimeout(t) }
  }
}

/** A clock that only moves when told to; sleepers wake as their time is passed. */
export class ManualClock implements Clock {
  #now: number
  #sleepers: { at: number; wake: () => void }[] = []

  constructor (start: number | string = '2026-01-01T00:00:00Z') {
    this.#now = typeof start === 'number' ? start : Date.parse(start)
  }

  now (): number {
    return this.#now
  }

  sleep (ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve()
    return new Promise((resolve) => { this.#sleepers.push({ at: this.#now + ms, wake: resolve }) })
  }

  timer (ms: number, fn: () => void): () => void {
    const sleeper = { at: this.#now + ms, wake: fn }
    this.#sleepers.push(sleeper)
    return () => { this.#sleepers = this.#sleepers.filter((s) => s !== sleeper) }
  }

  /** Moves time forward and wakes every sleeper whose time has come. */
  advance (ms: number): void {
    this.#now += ms
    const due = this.#sleepers.filter((s) => s.at <= this.#now)
    this.#sleepers = this.#sleepers.filter((s) => s.at > this.#now)
    for (const s of due) s.wake()
  }

  /** Ms until the next sleeper wakes, or undefined when none waits. */
  nextDue (): number | undefined {
    if (this.#sleepers.length === 0) return undefined
    return Math.max(0, Math.min(...this.#sleepers.map((s) => s.at)) - this.#now)
  }

  /** Sleepers still waiting (tests use it to know a delayed answer is pending). */
  get pending (): number {
    return this.#sleepers.length
  }
}
