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
