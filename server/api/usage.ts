// Usage: the monthly summary and per-day details, derived from the seed and the clock.

import { AurionError } from '../errors.js'
import { answers } from './schemas/answers.js'
import { usageDetailsAnswer, usageDetailsQuery, usageSummaryAnswer } from './schemas/usage.js'
import { drawInt } from '../util/rng.js'
import { isoSeconds } from '../util/time.js'
import type { ResourceOptions, ResourcePlugin } from './util.js'

const DAY = 86_400_000
const MAX_DETAIL_DAYS = 366

function round1 (n: number): number {
  return Math.round(n * 10) / 10
}

export const usagePlugin: ResourcePlugin<ResourceOptions> = async (app, { clock }) => {
  app.get('/usage/summary', { schema: { summary: 'This month\'s usage', response: answers({ 200: usageSummaryAnswer }, []) } }, async (request) => {
    const seed = request.mock!.seed
    const now = new Date(clock.now())
    const start = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)
    const end = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1) - 1000
    const voice = drawInt(seed, 'usage-voice', start / DAY, 50, 900)
    const api = drawInt(seed, 'usage-api', start / DAY, 1000, 45000)
    const storage = drawInt(seed, 'usage-storage', start / DAY, 10, 4800)
    return {
      period: { start: isoSeconds(start), end: isoSeconds(end) },
      voice_minutes: { used: voice, limit: 1000, percentage: round1(voice / 10) },
      api_calls: { used: api, limit: 50000, percentage: round1(api / 500) },
      storage_mb: { used: storage, limit: 5000, percentage: round1(storage / 50) },
      plan: 'professional',
      billing_status: 'active'
    }
  })

  app.get('/usage/details', { schema: { summary: 'Usage per day, week or month', querystring: usageDetailsQuery, response: answers({ 200: usageDetailsAnswer }, [422]) } }, async (request) => {
    const q = request.query
    const seed = request.mock!.seed
    const today = Math.floor(clock.now() / DAY) * DAY
    const end = q.end_date === undefined ? today : Date.parse(`${q.end_date}T00:00:00Z`)
    const start = q.start_date === undefined ? end - 6 * DAY : Date.parse(`${q.start_date}T00:00:00Z`)
    if (start > end) throw new AurionError('validation_error', undefined, { details: [{ field: 'start_date', message: 'Must not be after end_date' }] })
    if ((end - start) / DAY >= MAX_DETAIL_DAYS) throw new AurionError('validation_error', undefined, { details: [{ field: 'start_date', message: `Range must be at most ${MAX_DETAIL_DAYS} days` }] })
    const days: { date: string; voice_minutes: number; api_calls: number; llm_tokens: { input: number; output: number } }[] = []
    for (let d = start; d <= end; d += DAY) {
      const n = d / DAY
      days.push({
        date: new Date(d).toISOString().slice(0, 10),
        voice_minutes: drawInt(seed, 'usage-day-voice', n, 0, 60),
        api_calls: drawInt(seed, 'usage-day-api', n, 200, 2500),
        llm_tokens: { input: drawInt(seed, 'usage-day-in', n, 10000, 150000), output: drawInt(seed, 'usage-day-out', n, 3000, 50000) }
      })
    }
    const groups = new Map<string, typeof days[number]>()
    for (const day of days) {
      const key = q.group_by === 'day' ? day.date : q.group_by === 'month' ? day.date.slice(0, 7) + '-01' : weekStart(day.date)
      const g = groups.get(key)
      if (g === undefined) groups.set(key, { ...day, date: key, llm_tokens: { ...day.llm_tokens } })
      else {
        g.voice_minutes += day.voice_minutes
        g.api_calls += day.api_calls
        g.llm_tokens.input += day.llm_tokens.input
        g.llm_tokens.output += day.llm_tokens.output
      }
    }
    const data = [...groups.values()].map((g) => filterEvent(g, q.event_type))
    return { data }
  })
}

/** The Monday of the ISO week of a YYYY-MM-DD date. */
function weekStart (date: string): string {
  const t = Date.parse(`${date}T00:00:00Z`)
  const dow = (new Date(t).getUTCDay() + 6) % 7
  return new Date(t - dow * DAY).toISOString().slice(0, 10)
}

function filterEvent (g: { date: string; voice_minutes: number; api_calls: number; llm_tokens: { input: number; output: number } }, event: string | undefined): Record<string, unknown> {
  if (event === 'voice') return { date: g.date, voice_minutes: g.voice_minutes }
  if (event === 'api') return { date: g.date, api_calls: g.api_calls }
  if (event === 'llm') return { date: g.date, llm_tokens: g.llm_tokens }
  if (event === 'storage') return { date: g.date, storage_mb: 0 }
  return g
}
