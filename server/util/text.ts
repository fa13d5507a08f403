// Client-given strings kept beyond a request: cut to a bound, and never as views of larger strings.

/**
 * A copy of `value` that holds only its own characters. V8 keeps a slice (a substring of 13 or
 * more characters) as a view of the whole string, so a path cut from a 14 KB URL keeps all of it.
 */
export function detached (value: string): string {
  return Buffer.from(value, 'utf16le').toString('utf16le')
}

/** Truncates a string for keeping: longer values are cut to `max` characters and end in "…". */
export function clip (value: string, max: number): string {
  return value.length <= max ? value : `${detached(value.slice(0, max))}…`
}

/**
 * A deep copy of JSON-like data whose strings are all `detached`. A YAML parser builds an escaped
 * double-quoted string piece by piece, which V8 keeps as a tree of pieces: ~33x its length.
 */
export function detachStrings<T> (value: T): T {
  if (typeof value === 'string') return detached(value) as T
  if (Array.isArray(value)) return value.map(detachStrings) as T
  if (value !== null && typeof value === 'object') {
    // fromEntries defines own properties, so a "__proto__" key stays a plain key.
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [detached(k), detachStrings(v)])) as T
  }
  return value
}
