// Inputs that trigger bugs already reported and not fixed yet: the properties leave them out so
// they keep hunting for new bugs, and each bug has a minimal regression test marked todo in
// test/fuzz/known-bugs.test.ts. FUZZ_KNOWN_BUGS=1 puts them back (to check a fix); delete an entry
// once its regression test passes.

const INCLUDE_KNOWN = process.env.FUZZ_KNOWN_BUGS === '1'

type Doc = Record<string, unknown>

function isRecord (value: unknown): value is Doc {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/** Every step of a rule: its sequence's mappings, or the rule itself as its inline step. */
function stepsOf (rule: Doc): Doc[] {
  if (Array.isArray(rule.sequence)) return rule.sequence.filter(isRecord)
  return [rule]
}

function faultType (fault: unknown): string | undefined {
  return typeof fault === 'string' ? fault : isRecord(fault) && typeof fault.type === 'string' ? fault.type : undefined
}

/** Response headers a step cannot set without breaking the answer (BUG-5). */
const FRAMING_HEADERS = new Set(['transfer-encoding', 'trailer', 'content-type'])

/** Characters Node refuses in a header value (it throws ERR_INVALID_CHAR). */
const NOT_A_HEADER_VALUE = /[^\t\x20-\x7e\x80-\xff]/

/** The known bug a generated (valid) scenario document would hit when served, if any. */
export function knownServeBug (doc: Doc): string | undefined {
  if (INCLUDE_KNOWN) return undefined
  const rules = Array.isArray(doc.rules) ? doc.rules.filter(isRecord) : []
  for (const rule of rules) {
    if (typeof rule.name === 'string' && NOT_A_HEADER_VALUE.test(rule.name)) return 'BUG-1 rule name unfit for X-Mock-Fault'
    const flapStatuses = isRecord(rule.flap) && Array.isArray(rule.flap.statuses) ? rule.flap.statuses : []
    for (const step of stepsOf(rule)) {
      const statuses = [step.status, ...flapStatuses]
      if (statuses.some((s) => typeof s === 'number' && s < 200)) return 'BUG-2 1xx status'
      if (typeof step.retryAfter === 'number' && step.retryAfter >= 1e21) return 'BUG-3 Retry-After in exponent notation'
      if (isRecord(step.headers) && Object.keys(step.headers).some((h) => FRAMING_HEADERS.has(h.toLowerCase()))) return 'BUG-5 step headers that break framing'
      if (faultType(step.fault) === 'truncate') {
        const keep = isRecord(step.fault) && typeof step.fault.keep === 'number' ? step.fault.keep : 0.5
        const tinyBody = step.body !== undefined && JSON.stringify(step.body).length < 20
        if (keep < 0.1 || tinyBody || step.status === 204 || step.status === 304) return 'BUG-4 truncate with nothing to keep'
      }
    }
    for (const s of flapStatuses) if (typeof s === 'number' && s < 200) return 'BUG-2 1xx status'
  }
  return undefined
}
