// Durations as scenario files write them ("250ms", "1.5s", "1m", or a bare number of ms) → integer ms.

/** The string form: a decimal number and a unit. Shared with the JSON Schema. */
export const DURATION_PATTERN = '^[0-9]+(\\.[0-9]+)?(ms|s|m|h)$'

/** The longest duration a Node timer can wait (2^31 - 1 ms, about 24.8 days); longer ones fire at once. */
export const MAX_DURATION_MS = 2_147_483_647

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const
const DURATION_REGEXP = new RegExp(DURATION_PATTERN)

function isUnit (unit: string): unit is keyof typeof UNIT_MS {
  return Object.hasOwn(UNIT_MS, unit)
}

/**
 * Milliseconds (rounded to an integer) for a non-negative number of ms or a duration string,
 * or undefined when the input is neither. The result may exceed MAX_DURATION_MS (even be Infinity
 * for absurdly long digit strings): range checks are the caller's.
 */
export function tryParseDuration (input: unknown): number | undefined {
  if (typeof input === 'number') {
    return Number.isFinite(input) && input >= 0 ? Math.round(input) : undefined
  }
  if (typeof input !== 'string' || !DURATION_REGEXP.test(input)) return undefined
  const unit = /[a-z]+$/.exec(input)?.[0] ?? ''
  if (!isUnit(unit)) return undefined
  return Math.round(Number(input.slice(0, -unit.length)) * UNIT_MS[unit])
}

/** Like tryParseDuration, but a bad or too long duration is a RangeError (for CLI flags and the like). */
export function parseDuration (input: number | string): number {
  const ms = tryParseDuration(input)
  if (ms === undefined) {
    throw new RangeError(`invalid duration ${JSON.stringify(input)}: expected e.g. 250ms, 2s, 1.5s, 1m, 1h or a number of ms`)
  }
  if (ms > MAX_DURATION_MS) {
    throw new RangeError(`duration ${JSON.stringify(input)} is longer than ${MAX_DURATION_MS}ms`)
  }
  return ms
}

const DURATION_MESSAGE = 'must be a duration such as 250ms, 2s, 1.5s, 1m or 1h (a bare number is milliseconds)'

/** The JSON Schema of a duration value in a scenario file. */
export function durationSchema (title: string, description: string) {
  return {
    title,
    description: `${description} A duration: 250ms, 2s, 1.5s, 1m, 1h, or a number of milliseconds.`,
    type: ['number', 'string'],
    minimum: 0,
    pattern: DURATION_PATTERN,
    errorMessage: DURATION_MESSAGE,
  } as const
}
