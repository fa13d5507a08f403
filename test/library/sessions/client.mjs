// The client under test in the runner fixtures. It takes only a base URL, as SDKs do, and retries
// a 5xx after the Aurion guidance's 2^attempt s plus jitter, or after `retryWaitMs` when given.

export async function listUsers (baseUrl, { retryWaitMs } = {}) {
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(`${baseUrl}/api/v1/users`, { headers: { 'x-api-key': 'ak_live_mock_full_access_0001' } })
    if (res.status < 500 || attempt === 3) return res.json()
    const wait = retryWaitMs ?? 1000 * 2 ** attempt + Math.random() * 100
    await new Promise((resolve) => setTimeout(resolve, wait))
  }
}
