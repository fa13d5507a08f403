// The README states how many cases each fidelity suite covers; the suites check it still does.

import { readFileSync } from 'node:fs'

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8').replace(/\s+/g, ' ')

/** True when the README says `phrase` (whitespace and line breaks aside). */
export function readmeSays (phrase: string): boolean {
  return README.includes(phrase.replace(/\s+/g, ' '))
}
