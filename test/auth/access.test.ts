// Scopes by path prefix, denied paths, and the path every check reads.

import t from 'tap'
import { checkAccess, DEFAULT_KEYS, maskKey, SCOPES } from '../../server/auth/keys.js'
import { hasUnsafeSegments, originForm, routedPath } from '../../server/auth/request-path.js'

const READ = DEFAULT_KEYS.ak_live_mock_read_only_0002!

t.test('read scopes open GET and HEAD, write scopes the other methods, and write does not imply read', async (t) => {
  t.same(checkAccess(READ, 'GET', '/api/v1/tickets/1'), { kind: 'allowed' })
  t.same(checkAccess(READ, 'HEAD', '/api/v1/users'), { kind: 'allowed' })
  t.same(checkAccess(READ, 'POST', '/api/v1/tickets'), { kind: 'missing-scope', scope: 'tickets:write' })
  t.same(checkAccess(['tickets:write'], 'GET', '/api/v1/tickets'), { kind: 'missing-scope', scope: 'tickets:read' })
  t.same(checkAccess(READ, 'PUT', '/api/v1/configuration/general'), { kind: 'missing-scope', scope: 'config:write' })
  t.same(checkAccess(SCOPES, 'DELETE', '/api/v1/webhooks/w1'), { kind: 'allowed' })
})

t.test('denied paths and everything outside /api/v1 are denied whatever the scopes', async (t) => {
  for (const path of ['/api/v1/super-admin/x', '/api/configuration/api-keys', '/api/sync/run', '/api/v2/tickets']) {
    t.same(checkAccess(SCOPES, 'GET', path), { kind: 'denied-path' }, path)
  }
  t.same(checkAccess(SCOPES, 'GET', '/api/v1/unknown'), { kind: 'unscoped' })
})

t.test('the routed path is the router\'s decoding; absolute-form becomes origin-form', async (t) => {
  t.equal(routedPath('/%61pi/v1/%74ickets?x=%41'), '/api/v1/tickets')
  t.equal(originForm('http://host:80/api/v1/users?x=1'), '/api/v1/users?x=1')
  t.equal(originForm('HTTPS://HOST'), '/')
  t.equal(originForm('HTTP://host?q'), '/?q')
  t.equal(originForm('/already'), '/already')
  t.equal(originForm('*'), '*')
  t.ok(hasUnsafeSegments('/api/v1//tickets'))
  t.ok(hasUnsafeSegments('/api/v1/x/../tickets'))
  t.ok(hasUnsafeSegments('/api/v1/.'))
  t.notOk(hasUnsafeSegments('/api/v1/tickets/'), 'a trailing slash is fine')
})

t.test('a masked key shows at most its last four characters', async (t) => {
  t.equal(maskKey('ak_live_mock_full_access_0001'), '…0001')
  t.equal(maskKey('abcdefghijklm'), '…', 'a 13-character key shows nothing')
})
