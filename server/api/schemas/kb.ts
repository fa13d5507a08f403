// Knowledge-base article schemas.

import { paginationQuery, timestamp } from './common.js'

export const KB_STATUSES = ['published', 'draft'] as const
export const KB_CATEGORIES = ['Network', 'Hardware', 'Software', 'Access', 'Email'] as const
export const KB_FOLDERS = ['VPN & Remote Access', 'Getting Started', 'Accounts & Passwords', 'Devices', 'Collaboration'] as const

// No length caps of their own (the docs name none); the body limit protects the mock. An article
// shows an unset category or folder as null, so null is accepted there, meaning unset.
const title = { type: 'string', minLength: 1 } as const
const tags = { type: 'array', items: { type: 'string', minLength: 1 } } as const
const optionalText = { type: ['string', 'null'], minLength: 1 } as const

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
    content_html: { type: 'string', minLength: 1 },
    category: optionalText,
    folder: optionalText,
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
    search: { type: 'string' },
    category: { type: 'string' },
    status: { type: 'string', enum: KB_STATUSES },
    ...paginationQuery()
  }
} as const

const articleSummaryProperties = {
  id: { type: 'integer' },
  title: { type: 'string' },
  category: { type: ['string', 'null'] },
  status: { type: 'string', enum: KB_STATUSES },
  views: { type: 'integer', minimum: 0 },
  helpful_votes: { type: 'integer', minimum: 0 },
  updated_at: timestamp
} as const

/** An article as listed: the summary fields only. */
export const kbSummaryAnswer = {
  type: 'object',
  description: 'An article as listed',
  properties: articleSummaryProperties,
  required: ['id', 'title', 'category', 'status', 'views', 'helpful_votes', 'updated_at']
} as const

/** An article as read, created or updated: the summary plus content, folder, tags and created_at. */
export const kbArticleAnswer = {
  type: 'object',
  description: 'A knowledge-base article',
  properties: {
    ...articleSummaryProperties,
    content_html: { type: 'string' },
    folder: { type: ['string', 'null'] },
    tags: { type: 'array', items: { type: 'string' } },
    created_at: timestamp
  },
  required: [...kbSummaryAnswer.required, 'content_html', 'folder', 'tags', 'created_at']
} as const
