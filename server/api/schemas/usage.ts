// Usage query schemas.

export const usageDetailsQuery = {
  type: 'object',
  properties: {
    start_date: { type: 'string', format: 'date' },
    end_date: { type: 'string', format: 'date' },
    group_by: { type: 'string', enum: ['day', 'week', 'month'], default: 'day' },
    event_type: { type: 'string', enum: ['voice', 'api', 'llm', 'storage'] }
  }
} as const

const meter = {
  type: 'object',
  properties: { used: { type: 'integer', minimum: 0 }, limit: { type: 'integer', minimum: 0 }, percentage: { type: 'number', minimum: 0 } },
  required: ['used', 'limit', 'percentage']
} as const

export const usageSummaryAnswer = {
  type: 'object',
  description: 'This month\'s usage against the plan',
  properties: {
    period: {
      type: 'object',
      properties: { start: { type: 'string', format: 'date-time' }, end: { type: 'string', format: 'date-time' } },
      required: ['start', 'end']
    },
    voice_minutes: meter,
    api_calls: meter,
    storage_mb: meter,
    plan: { type: 'string' },
    billing_status: { type: 'string' }
  },
  required: ['period', 'voice_minutes', 'api_calls', 'storage_mb', 'plan', 'billing_status']
} as const

/** One row per day, week or month; `event_type` keeps only its own figure. */
export const usageDetailsAnswer = {
  type: 'object',
  description: 'Usage per period (no pagination)',
  properties: {
    data: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          date: { type: 'string', format: 'date' },
          voice_minutes: { type: 'integer', minimum: 0 },
          api_calls: { type: 'integer', minimum: 0 },
          llm_tokens: {
            type: 'object',
            properties: { input: { type: 'integer', minimum: 0 }, output: { type: 'integer', minimum: 0 } },
            required: ['input', 'output']
          },
          storage_mb: { type: 'integer', minimum: 0 }
        },
        required: ['date']
      }
    }
  },
  required: ['data']
} as const
