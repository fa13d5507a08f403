// Knowledge-base article schemas.

import { paginationQuery, timestamp } from './common.js'

export const KB_STATUSES = ['published', 'draft'] as const
export const KB_CATEGORIES = ['Network', 'Hardware', 'Software', 'Access', 'Email'] as const
export const KB_FOLDERS = ['VPN & Remote Access', 'Getting Started', 'Accounts & Passwords', 'Devices', 'Collaboration'] as const

const title = { type: 'string', minLength: 1, maxLength: 255 } as const
const tags = { type: 'array', items: { type: 'string', minLength: 1, maxLength: 50 }, maxItems: 20 } as const

export const kbRecord = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    title,
    category: { enum: KB_CATEGORIES },
    status: { enum: KB_STATUSES },
    views: { type: 'integer', minimum: 0, maximum: 5000 },
    helpful_votes: { type: 'integer', minimum: 0, maximum: 300 },
    content_html: { type: 'string' },
    folder: { enum: KB_FOLDERS },
    tags: { type: 'array', items: { enum: ['vpn', 'windows', 'macos', 'network', 'password', 'mfa', 'printer', 'email', 'teams', 'laptop'] }, minItems: 1, maxItems: 3, uniqueItems: true },
    created_at: timestamp,
    updated_at: timestamp
  },
  required: ['id', 'title', 'category', 'status', 'views', 'helpful_votes', 'content_html', 'folder', 'tags', 'created_at', 'updated_at']
} as const

export const kbCreateBody = {
  type: 'object',
  properties: {
    title,
    content_html: { type: 'string', minLength: 1, maxLength: 200000 },
    category: { type: 'string', minLength: 1, maxLength: 100 },
    folder: { type: 'string', minLength: 1, maxLength: 200 },
    tags,
    status: { type: 'string', enum: KB_STATUSES }
  },
  required: ['title', 'content_html']
} as const

export const kbUpdateBody = {
  type: 'object',
  properties: kbCreateBody.properties
} as const

export const kbListQuery = {
  type: 'object',
  properties: {
    search: { type: 'string', maxLength: 200 },
    category: { type: 'string', maxLength: 100 },
    status: { type: 'string', enum: KB_STATUSES },
    ...paginationQuery()
  }
} as const
