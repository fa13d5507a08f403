// The loader's defaults: its limits, and the values a scenario leaves out. Kept apart so the public
// entry (index.ts) re-exports them without exposing the normaliser's input types.

export const DEFAULT_MAX_SCENARIO_BYTES = 1_048_576
export const DEFAULT_MAX_RULES = 10_000
export const DEFAULT_RATE_LIMIT_WINDOW_MS = 60_000
export const DEFAULT_FLAP_STATUSES: readonly number[] = [503]
