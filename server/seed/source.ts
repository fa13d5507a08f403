// Where a server's seed records come from: a file made at build time for the default seed, or
// json-schema-faker on first use for any other. Both give the same bytes (test/seed/source.test.ts);
// the file spares the default start-up the faker's import and a request its generation.

import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { BUILD_DIR } from '../util/package-paths.js'
import type { SeedData } from '../store/types.js'

/** Seeds whose records `npm run build` writes beside the compiled server. */
export const PREBUILT_SEEDS: readonly number[] = [1]

export function prebuiltSeedFile (seed: number): string {
  return join(BUILD_DIR, 'seeds', `${seed}.json`)
}

function freeze (data: Record<string, Record<string, unknown>[]>): SeedData {
  for (const records of Object.values(data)) {
    for (const r of records) Object.freeze(r)
    Object.freeze(records)
  }
  return Object.freeze(data) as unknown as SeedData
}

/** A function making the seed's records (each call makes them anew; the store keeps one copy). */
export async function seedSource (seed: number): Promise<() => SeedData> {
  const file = prebuiltSeedFile(seed)
  if (PREBUILT_SEEDS.includes(seed) && existsSync(file)) {
    return () => freeze(JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, unknown>[]>)
  }
  const { generateSeedData } = await import('./data.js')
  return () => generateSeedData(seed)
}
