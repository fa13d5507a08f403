// Inputs that trigger bugs already reported and not fixed yet: the properties leave them out so
// they keep hunting for new bugs, and each has a minimal regression test marked todo.
// FUZZ_KNOWN_BUGS=1 puts them back (to check a fix).

const INCLUDE_KNOWN = process.env.FUZZ_KNOWN_BUGS === '1'

/** The known bug a generated (valid) scenario document would hit when served, if any. */
export function knownServeBug (_doc: Record<string, unknown>): string | undefined {
  if (INCLUDE_KNOWN) return undefined
  return undefined
}
