// The CLI's heap tuning (see server/heap.ts); its effect on peak RSS is measured in bench/.

import t from 'tap'
import { tuneHeapGrowth } from '../../server/runtime/heap.js'

t.test('sets the growing factor unless node was given one', async (t) => {
  t.equal(tuneHeapGrowth(['--enable-source-maps']), true, 'no growing factor of the user\'s: ours is set')
  t.equal(tuneHeapGrowth(['--heap-growing-percent=50']), false, 'the user\'s own wins')
  t.equal(tuneHeapGrowth(['--heap_growing_percent', '50']), false, 'in either spelling')
  t.equal(tuneHeapGrowth(['--heap-growing-percentage-of-nothing']), true, 'another flag is not mistaken for it')
})
