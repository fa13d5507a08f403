// cutSessionPrefix, the rewriteUrl step that reads `/s/<id>/` off a URL: what it cuts, the id it
// notes, and what it leaves for the router to refuse.

import t from 'tap'
import { IncomingMessage } from 'node:http'
import { Socket } from 'node:net'
import { agreeingSession, cutSessionPrefix, refusalOf, urlSessionId } from '../../server/http/url-session.js'

function cut (url: string): { url: string; id: string | undefined; refused: string | undefined } {
  const req = new IncomingMessage(new Socket())
  return { url: cutSessionPrefix(req, url), id: urlSessionId(req), refused: refusalOf(req)?.message }
}

t.test('the prefix is cut and its id noted; the query stays', async (t) => {
  t.same(cut('/s/a/api/v1/tickets?limit=1'), { url: '/api/v1/tickets?limit=1', id: 'a', refused: undefined })
  t.same(cut('/s/test-42@ci:7._x/api/v1/users'), { url: '/api/v1/users', id: 'test-42@ci:7._x', refused: undefined })
  t.same(cut('/s/a'), { url: '/', id: 'a', refused: undefined })
  t.same(cut('/s/a?x=1'), { url: '/?x=1', id: 'a', refused: undefined })
  t.same(cut('/s/a/'), { url: '/', id: 'a', refused: undefined })
})

t.test('percent-encoded, the prefix and id read as the router reads letters', async (t) => {
  t.same(cut('/%73/%61/api/v1/x'), { url: '/api/v1/x', id: 'a', refused: undefined })
  t.same(cut('/s/a%3Ab%40c/api/v1/x'), { url: '/api/v1/x', id: 'a:b@c', refused: undefined })
  t.same(cut('/s/a/%61pi/v1/x'), { url: '/%61pi/v1/x', id: 'a', refused: undefined }, 'the rest is left for the router to decode')
})

t.test('other URLs are left alone', async (t) => {
  for (const url of ['/api/v1/tickets', '/S/a/api/v1/x', '/x/s/a/api', '/sa/api', '/s', '/%53/a/api', '/__mock/health']) {
    t.same(cut(url), { url, id: undefined, refused: undefined }, url)
  }
})

t.test('a bad id is noted as refused and the URL left as it came', async (t) => {
  for (const url of ['/s//api', '/s/./api', '/s/../api', '/s/%2e/api', '/s/a%2Fb/api', '/s/a%00/api', '/s/%zz/api', '/s/a%ZZ/api', '/s/a;b/api', `/s/${'x'.repeat(129)}/api`, '/s/%C3%BC/api', '/s/a b/api']) {
    const got = cut(url)
    t.equal(got.url, url, `${url} is not cut`)
    t.equal(got.id, undefined)
    t.match(got.refused, /^The session in the URL/)
  }
  t.equal(cut(`/s/${'x'.repeat(128)}/api`).id, 'x'.repeat(128), '128 characters are fine')
})

t.test('the URL and another source must agree', async (t) => {
  const req = new IncomingMessage(new Socket())
  cutSessionPrefix(req, '/s/a/api')
  t.equal(agreeingSession(req, undefined, 'X-Mock-Session'), 'a')
  t.equal(agreeingSession(req, 'a', 'X-Mock-Session'), 'a')
  t.match(agreeingSession(req, 'b', 'X-Mock-Session'), { statusCode: 400, message: 'The session in the URL ("a") and X-Mock-Session disagree' })
  const plain = new IncomingMessage(new Socket())
  t.equal(agreeingSession(plain, 'b', 'X-Mock-Session'), 'b', 'no prefix: the other source alone')
  t.equal(agreeingSession(plain, undefined, 'X-Mock-Session'), undefined)
})
