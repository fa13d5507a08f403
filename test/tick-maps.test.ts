// The start-up workaround for nextTick's maps (see server/tick-maps.ts); its effect is measured
// in bench/, this checks that it holds a real tick object and leaves no hook behind.

import t from 'tap'
import { createHook } from 'node:async_hooks'
import { keepTickMapsAlive, tickObjectKept } from '../server/tick-maps.js'

t.test('holds one of Node\'s tick objects, once, and removes its hook', async (t) => {
  t.equal(tickObjectKept(), false)
  keepTickMapsAlive()
  t.equal(tickObjectKept(), true)
  keepTickMapsAlive()
  t.equal(tickObjectKept(), true, 'a second call changes nothing')
  // Our hook is disabled: a new hook sees the next tick, and only the one it was enabled for.
  const seen: string[] = []
  const probe = createHook({ init (_id, type) { if (type === 'TickObject') seen.push(type) } }).enable()
  process.nextTick(() => {})
  probe.disable()
  t.same(seen, ['TickObject'])
})
