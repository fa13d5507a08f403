// Schema pieces shared by every resource: ids, timestamps, pagination.

export const DEFAULT_LIMIT = 25
export const MAX_LIMIT = 100

export const timestamp = { type: 'string', format: 'date-time' } as const

export const integerId = { type: 'integer', minimum: 1 } as const

/** `limit`/`offset` of a list query; the default limit differs per endpoint. */
export function paginationQuery (defaultLimit: number = DEFAULT_LIMIT) {
  return {
    limit: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: defaultLimit },
    offset: { type: 'integer', minimum: 0, default: 0 }
  } as const
}

/**
 * The `:id` of a route, as routed: any text, so it always passes; the handler looks it up (an id
 * that names nothing is a 404, not a 422). It types `request.params` where a route has a body schema.
 */
export const idParams = {
  type: 'object',
  properties: { id: { type: 'string' } },
  required: ['id']
} as const
