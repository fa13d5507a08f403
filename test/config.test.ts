// The one config table: defaults < environment < flags, every value checked, the result frozen.

import t from 'tap'
import { DEFAULT_CONFIG, resolveConfig } from '../server/config.js'

t.test('defaults, then the environment, then flags', async (t) => {
  t.equal(resolveConfig([], {}).config.port, DEFAULT_CONFIG.port)
  t.equal(resolveConfig([], { AURION_MOCK_PORT: '5000' }).config.port, 5000, 'the environment over the default')
  t.equal(resolveConfig(['--port', '6000'], { AURION_MOCK_PORT: '5000' }).config.port, 6000, 'a flag over the environment')
  t.equal(resolveConfig(['--rate-limit', '7'], {}).config.rateLimit, 7)
})

t.test('every bad value is one line naming the flag or the variable', async (t) => {
  t.throws(() => resolveConfig(['--port', 'x'], {}), { code: 'AURION_MOCK_CONFIG', message: /^--port: / })
  t.throws(() => resolveConfig([], { AURION_MOCK_PORT: 'x' }), { message: /^AURION_MOCK_PORT: / })
  t.throws(() => resolveConfig(['--no-such-flag'], {}), { code: 'AURION_MOCK_CONFIG' })
  t.throws(() => resolveConfig(['--key', 'short=*'], {}), { message: /invalid API key/ })
})

t.test('positionals and the help and version flags come back as they are', async (t) => {
  const r = resolveConfig(['validate', 'a.yaml', '-h'], {})
  t.same(r.positionals, ['validate', 'a.yaml'])
  t.equal(r.help, true)
  t.equal(r.version, false)
})
