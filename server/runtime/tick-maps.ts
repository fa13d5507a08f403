// Keeps one of Node's own nextTick objects alive for the life of the process.
//
// Why: process.nextTick builds each tick as an object literal. If V8 collects the literal's maps
// after the first ticks (a full GC during start-up, e.g. after loading a scenario, does), the
// literal's property stores go megamorphic when traffic starts and stay so: nextTick then costs
// ~10% of a request for the life of the process (see bench/RESULTS.md). A live tick object keeps
// those maps alive. async_hooks is the public way to see one.

import { createHook } from 'node:async_hooks'

let kept: object | undefined

export function keepTickMapsAlive (): void {
  if (kept !== undefined) return
  const hook = createHook({
    init (_asyncId, type, _triggerAsyncId, resource) {
      if (type === 'TickObject' && kept === undefined) kept = resource
    }
  })
  hook.enable()
  process.nextTick(() => {})
  hook.disable()
}

/** For the test: whether a tick object is held. */
export function tickObjectKept (): boolean {
  return kept !== undefined
}
