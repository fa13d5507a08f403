// Bugs found by the fuzzing that are reported and not fixed yet: the properties count or leave out
// their inputs, so they keep hunting for new bugs, and test/fuzz/fuzz-findings.test.ts pins each one
// down with a minimal case marked todo. FUZZ_KNOWN_BUGS=1 turns this off (to check a fix); delete an
// entry once its finding test passes.

const INCLUDE_KNOWN = process.env.FUZZ_KNOWN_BUGS === '1'

/** A character outside the Basic Multilingual Plane (a surrogate pair in a JS string). */
const ASTRAL = /[\u{10000}-\u{10FFFF}]/u

/**
 * The open bug a generated (valid) scenario document would hit when served, if any. F1-F5 were
 * fixed in c8b0ebc and their finding tests run as plain regressions.
 */
export function knownServeBug (doc: Record<string, unknown>): string | undefined {
  if (INCLUDE_KNOWN) return undefined
  const rules = Array.isArray(doc.rules) ? doc.rules : []
  for (const rule of rules) {
    const name: unknown = rule !== null && typeof rule === 'object' ? (rule as Record<string, unknown>).name : undefined
    if (typeof name === 'string' && ASTRAL.test(name)) return 'BUG-6 astral character in a rule name: URIError in X-Mock-Fault'
  }
  return undefined
}

/**
 * The open bug an answer (or the lack of one) shows, recognised by its signature, if any:
 * the HTTP fuzz counts these instead of failing.
 */
export function knownAnswerBug (answer: { status?: number; contentType?: string | undefined; body: string } | undefined, request: { method: string; body?: Buffer }): string | undefined {
  if (INCLUDE_KNOWN) return undefined
  // The body as sent: plain, or as one chunk.
  if (answer?.status === 500 && /^(?:[0-9a-f]+\r\n)?\s*null\s*(?:\r\n0\r\n\r\n)?$/i.test(request.body?.toString('latin1') ?? '')) return 'BUG-7 a JSON null body passes validation and crashes the handler'
  if (answer === undefined) return request.method === 'CONNECT' ? 'BUG-H4 CONNECT closed without an answer' : undefined
  if (answer.body.includes('"FST_ERR_BAD_URL"')) return 'BUG-H1 malformed URL answered with Fastify\'s body'
  if (answer.body.includes('"FST_ERR_MAX_PARAM_LENGTH"')) return 'BUG-H2 long path parameter answered with Fastify\'s 414 body'
  if (answer.status === 400 && answer.contentType === undefined && answer.body === '') return 'BUG-H3 bare 400 from Node (no Host header)'
  if (answer.status === 417 && answer.body === '') return 'BUG-H5 bare 417 from Node (Expect)'
  return undefined
}
