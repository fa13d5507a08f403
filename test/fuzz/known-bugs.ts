// Bugs found by the fuzzing that are reported and not fixed yet: the properties count or leave out
// their inputs, so they keep hunting for new bugs, and test/fuzz/fuzz-findings.test.ts pins each one
// down with a minimal case marked todo. FUZZ_KNOWN_BUGS=1 turns this off (to check a fix); delete an
// entry once its finding test passes.

const INCLUDE_KNOWN = process.env.FUZZ_KNOWN_BUGS === '1'

/**
 * The open bug a generated (valid) scenario document would hit when served, if any. None is open:
 * F1-F5, BUG-6 and BUG-7 are fixed and pinned by test/fuzz/fuzz-findings.test.ts.
 */
export function knownServeBug (_doc: Record<string, unknown>): string | undefined {
  if (INCLUDE_KNOWN) return undefined
  return undefined
}

/**
 * The open bug an answer (or the lack of one) shows, recognised by its signature, if any: the HTTP
 * fuzz counts these instead of failing. None is open (BUG-H1 to H5 are fixed).
 */
export function knownAnswerBug (_answer: { status?: number; contentType?: string | undefined; body: string } | undefined, _request: { method: string; body?: Buffer }): string | undefined {
  if (INCLUDE_KNOWN) return undefined
  return undefined
}
