import { startMockServer } from '../../server/index.js'
const s = await startMockServer({ scenario: { version: 1, name: 'x', rules: [{ name: 'café ☕', match: { path: '/api/v1/users' }, status: 503 }, { name: 'one\nline', match: { path: '/api/v1/calls' }, status: 500 }, { name: 'cont', match: { path: '/api/v1/kb/articles' }, status: 100 }, { name: 'big', match: { path: '/api/v1/tickets' }, status: 429, retryAfter: 1e23 }] } })
for (const p of ['/api/v1/users', '/api/v1/calls', '/api/v1/tickets']) {
  const r = await fetch(s.url + p, { headers: { 'x-api-key': 'ak_live_mock_full_access_0001' } })
  console.log(p, r.status, [...r.headers], await r.text())
}
const ac = new AbortController(); setTimeout(() => ac.abort(), 2000)
try { const r = await fetch(s.url + '/api/v1/kb/articles', { headers: { 'x-api-key': 'ak_live_mock_full_access_0001' }, signal: ac.signal }); console.log('kb', r.status, await r.text()) } catch (e) { console.log('kb err', String(e)) }
console.log((await fetch(s.url + '/__mock/health')).status)
await s.close()
