// User (synced requester) schemas, modelled on the REF user fields with integer ids.

import { paginationQuery, timestamp } from './common.js'

export const USER_ROLES = ['admin', 'agent', 'requester'] as const

export const userRecord = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    email: { type: 'string', format: 'email' },
    full_name: { type: 'string' },
    role: { enum: USER_ROLES },
    is_active: { type: 'boolean' },
    last_login_at: timestamp,
    created_at: timestamp,
    updated_at: timestamp
  },
  required: ['id', 'email', 'full_name', 'role', 'is_active', 'last_login_at', 'created_at', 'updated_at']
} as const

export const userListQuery = {
  type: 'object',
  properties: {
    role: { type: 'string', enum: USER_ROLES },
    is_active: { type: 'boolean' },
    search: { type: 'string' },
    ...paginationQuery()
  }
} as const

export const userAnswer = {
  type: 'object',
  description: 'A user (synced requester)',
  properties: {
    id: { type: 'integer' },
    email: { type: 'string', format: 'email' },
    full_name: { type: 'string' },
    role: { type: 'string', enum: USER_ROLES },
    is_active: { type: 'boolean' },
    last_login_at: timestamp,
    created_at: timestamp,
    updated_at: timestamp
  },
  required: userRecord.required
} as const
