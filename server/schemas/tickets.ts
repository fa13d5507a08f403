// Ticket schemas: the record (drives fake data), create/update bodies and the list query.

import { paginationQuery, timestamp } from './common.js'

export const TICKET_STATUSES = ['open', 'pending', 'resolved', 'closed'] as const
export const PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const
export const TICKET_CATEGORIES = ['Network', 'Hardware', 'Software', 'Access', 'Email', 'Printing'] as const

const subject = { type: 'string', minLength: 1, maxLength: 255 } as const
const description = { type: 'string', minLength: 1, maxLength: 20000 } as const
const category = { type: 'string', minLength: 1, maxLength: 100 } as const
const email = { type: 'string', format: 'email', maxLength: 254 } as const

export const ticketRecord = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    subject,
    description,
    status: { enum: TICKET_STATUSES },
    priority: { enum: PRIORITIES },
    category: { enum: TICKET_CATEGORIES },
    requester_email: email,
    created_at: timestamp,
    updated_at: timestamp
  },
  required: ['id', 'subject', 'description', 'status', 'priority', 'category', 'requester_email', 'created_at', 'updated_at']
} as const

export const ticketCreateBody = {
  type: 'object',
  properties: {
    subject,
    description,
    priority: { type: 'string', enum: PRIORITIES },
    status: { type: 'string', enum: TICKET_STATUSES },
    category,
    requester_email: email
  },
  required: ['subject', 'description']
} as const

export const ticketUpdateBody = {
  type: 'object',
  properties: ticketCreateBody.properties
} as const

export const ticketNoteBody = {
  type: 'object',
  properties: {
    body: { type: 'string', minLength: 1, maxLength: 20000 },
    private: { type: 'boolean' }
  },
  required: ['body']
} as const

export const ticketCloseBody = {
  type: 'object',
  properties: { resolution: { type: 'string', maxLength: 20000 } }
} as const

export const ticketListQuery = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: TICKET_STATUSES },
    priority: { type: 'string', enum: PRIORITIES },
    category: { type: 'string', maxLength: 100 },
    search: { type: 'string', maxLength: 200 },
    ...paginationQuery()
  }
} as const
