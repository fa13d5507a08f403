// Seeded randomness: every random choice comes from (seed, namespace, counter), never Math.random.

/** 32-bit FNV-1a hash of a string. */
export function hashString (text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

/** Mixes two 32-bit values (the murmur3 finaliser), so nearby counters give unrelated numbers. */
function mix (a: number, b: number): number {
  let h = (a ^ Math.imul(b, 0x9e3779b1)) >>> 0
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/**
 * A uniform number in [0, 1) fixed by seed, namespace and counter: the nth draw of a stream.
 * Being stateless, two sessions or two servers with the same inputs draw the same numbers.
 */
export function draw (seed: number, namespace: string, counter: number): number {
  return mix(mix(seed >>> 0, hashString(namespace)), counter >>> 0) / 4294967296
}

/** An integer in [min, max] from a draw. */
export function drawInt (seed: number, namespace: string, counter: number, min: number, max: number): number {
  return min + Math.floor(draw(seed, namespace, counter) * (max - min + 1))
}
