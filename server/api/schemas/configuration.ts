// Configuration section schemas.

export const configSectionParams = {
  type: 'object',
  properties: { section: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]{0,63}$' } },
  required: ['section']
} as const

export const configBody = { type: 'object' } as const

export const configAnswer = { type: 'object', description: 'The section\'s settings, as last put', additionalProperties: true } as const
