// Voice call schemas (read-only resource).

import { paginationQuery, timestamp } from './common.js'

export const CALL_SORT_FIELDS = ['started_at', 'duration_seconds'] as const

export const callRecord = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    caller_id: { type: 'string', pattern: '^\\+33[67][0-9]{8}$' },
    channel: { enum: ['phone', 'mobile_app', 'web_widget'] },
    status: { const: 'completed' },
    duration_seconds: { type: 'integer', minimum: 15, maximum: 1800 },
    language: { enum: ['fr-FR', 'en-US', 'en-GB', 'de-DE', 'es-ES'] },
    started_at: timestamp,
    ended_at: timestamp,
    requester_id: { type: 'integer' },
    tickets_created: { type: 'array', items: { type: 'integer' }, maxItems: 0 },
    authenticated: { type: 'boolean' },
    requester_name: { type: 'string' },
    escalated: { type: 'boolean' },
    sentiment: { enum: ['positive', 'neutral', 'negative'] },
    tools_used: { type: 'array', items: { enum: ['search_tickets', 'create_ticket', 'search_kb', 'reset_password', 'check_status'] }, minItems: 0, maxItems: 3, uniqueItems: true }
  },
  required: ['id', 'caller_id', 'channel', 'status', 'duration_seconds', 'language', 'started_at', 'ended_at', 'requester_id', 'tickets_created', 'authenticated', 'requester_name', 'escalated', 'sentiment', 'tools_used']
} as const

export const callListQuery = {
  type: 'object',
  properties: {
    sort_by: { type: 'string', enum: CALL_SORT_FIELDS, default: 'started_at' },
    sort_order: { type: 'string', enum: ['asc', 'desc'], default: 'desc' },
    ...paginationQuery(20)
  }
} as const

const callSummaryProperties = {
  id: { type: 'string' },
  caller_id: { type: 'string' },
  channel: { type: 'string', enum: ['phone', 'mobile_app', 'web_widget'] },
  status: { type: 'string', enum: ['completed'] },
  duration_seconds: { type: 'integer', minimum: 0 },
  language: { type: 'string' },
  started_at: timestamp,
  ended_at: timestamp,
  requester_id: { type: 'integer' },
  tickets_created: { type: 'array', items: { type: 'integer' } },
  authenticated: { type: 'boolean' }
} as const
const CALL_SUMMARY_FIELDS = ['id', 'caller_id', 'channel', 'status', 'duration_seconds', 'language', 'started_at', 'ended_at', 'requester_id', 'tickets_created', 'authenticated'] as const

/** A call as listed: without what only the detail shows. */
export const callSummaryAnswer = {
  type: 'object',
  description: 'A voice call as listed',
  properties: callSummaryProperties,
  required: CALL_SUMMARY_FIELDS
} as const

export const callAnswer = {
  type: 'object',
  description: 'A voice call',
  properties: {
    ...callSummaryProperties,
    requester_name: { type: 'string' },
    escalated: { type: 'boolean' },
    sentiment: { type: 'string', enum: ['positive', 'neutral', 'negative'] },
    tools_used: { type: 'array', items: { type: 'string' } }
  },
  required: [...CALL_SUMMARY_FIELDS, 'requester_name', 'escalated', 'sentiment', 'tools_used']
} as const
