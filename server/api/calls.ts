// Voice calls: list with sort_by/sort_order and pagination (default limit 20), and get.

import { answers, listOf } from './schemas/answers.js'
import { callAnswer, callListQuery, callSummaryAnswer } from './schemas/calls.js'
import { page, sendById, sessionOf, type ResourcePlugin } from './util.js'

interface Call extends Record<string, unknown> {
  id: string
  started_at: string
  duration_seconds: number
}

/** The list omits what only the detail shows. */
const DETAIL_ONLY = new Set(['requester_name', 'escalated', 'sentiment', 'tools_used'])

function summary (c: Call): Record<string, unknown> {
  return Object.fromEntries(Object.entries(c).filter(([k]) => !DETAIL_ONLY.has(k)))
}

export const callsPlugin: ResourcePlugin = async (app) => {
  app.get('/calls', { schema: { summary: 'List voice calls', querystring: callListQuery, response: answers({ 200: listOf(callSummaryAnswer, 'A page of calls') }, [422]) } }, async (request) => {
    const q = request.query
    const all = await sessionOf(request).collection<Call>('calls').all()
    const sign = q.sort_order === 'asc' ? 1 : -1
    const sorted = [...all].sort((a, b) => {
      const by = q.sort_by === 'duration_seconds' ? a.duration_seconds - b.duration_seconds : a.started_at.localeCompare(b.started_at)
      return sign * (by || a.id.localeCompare(b.id))
    })
    const result = page(sorted, q)
    return { ...result, data: result.data.map(summary) }
  })

  app.get<{ Params: { id: string } }>('/calls/:id', { schema: { summary: 'Get a voice call', response: answers({ 200: callAnswer }, [404]) } }, (request, reply) =>
    sendById(reply, sessionOf(request).collection<Call>('calls'), request.params.id, 'Call not found'))
}
