// The start-up workaround for nextTick's maps (see server/tick-maps.ts); its effect is measured
// in bench/, this checks that it holds a real tick object.

import t from 'tap'
import { keepTickMapsAlive, tickObjectKept } from '../../server/runtime/tick-maps.js'

t.test('holds one of Node\'s tick objects, once', async (t) => {
  t.equal(tickObjectKept(), false)
  keepTickMapsAlive()
  t.equal(tickObjectKept(), true)
  keepTickMapsAlive()
  t.equal(tickObjectKept(), true, 'a second call changes nothing')
})
