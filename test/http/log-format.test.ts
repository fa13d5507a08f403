// --log-format: auto is text at a terminal and JSON lines elsewhere; the flag and its variable are checked.

import t from 'tap'
import { resolveConfig } from '../../server/config.js'
import { loggerOptions, resolveLogFormat } from '../../server/http/logger.js'

t.test('auto resolves to text at a terminal and to JSON lines elsewhere; an explicit format stays', async (t) => {
  t.equal(resolveLogFormat('auto', true), 'text')
  t.equal(resolveLogFormat('auto', false), 'json')
  t.equal(resolveLogFormat('json', true), 'json')
  t.equal(resolveLogFormat('text', false), 'text')
})

t.test('the logger options: JSON lines by default, pino-pretty for text, none when silent', async (t) => {
  t.same(await loggerOptions('info', 'json'), { level: 'info' })
  t.same(await loggerOptions('warn', 'auto'), { level: 'warn' }, 'auto outside the CLI is JSON')
  t.equal(await loggerOptions('silent', 'text'), false)
  const text = await loggerOptions('debug', 'text') as { level: string; stream: { write: unknown } }
  t.equal(text.level, 'debug')
  t.type(text.stream.write, 'function', 'a pretty-printing stream')
})

t.test('--log-format and AURION_MOCK_LOG_FORMAT take auto, json or text', async (t) => {
  t.equal(resolveConfig([], {}).config.logFormat, 'auto')
  t.equal(resolveConfig(['--log-format', 'json'], {}).config.logFormat, 'json')
  t.equal(resolveConfig([], { AURION_MOCK_LOG_FORMAT: 'text' }).config.logFormat, 'text')
  t.throws(() => resolveConfig(['--log-format', 'pretty'], {}), /--log-format: expected one of auto, json, text, got "pretty"/)
})
