// Timestamps as the Aurion docs show them.

/** ISO-8601 UTC with second precision: 2026-02-20T14:30:00Z. */
export function isoSeconds (ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z')
}
