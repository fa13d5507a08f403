// Ticket schemas: the record (drives fake data), create/update bodies and the list query.

import { paginationQuery, timestamp } from './common.js'

export const TICKET_STATUSES = ['open', 'pending', 'resolved', 'closed'] as const
export const PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const
export const TICKET_CATEGORIES = ['Network', 'Hardware', 'Software', 'Access', 'Email', 'Printing'] as const

// Only the documented rules (subject 1-255 characters, a non-empty description, the enums): no
// field has a length cap of its own; the body limit (--body-limit) is what protects the mock.
const subject = { type: 'string', minLength: 1, maxLength: 255 } as const
const description = { type: 'string', minLength: 1 } as const
// A ticket shows an unset category or requester_email as null, so null is accepted (meaning
// unset) wherever it can be sent: a ticket read can be sent back as it is.
const category = { type: ['string', 'null'], minLength: 1 } as const
const email = { type: ['string', 'null'], format: 'email' } as const

export const ticketRecord = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    subject,
    description,
    status: { enum: TICKET_STATUSES },
    priority: { enum: PRIORITIES },
    category: { enum: TICKET_CATEGORIES },
    requester_email: { type: 'string', format: 'email' },
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
    body: { type: 'string', minLength: 1 },
    private: { type: 'boolean' }
  },
  required: ['body']
} as const

export const ticketCloseBody = {
  type: 'object',
  properties: { resolution: { type: 'string' } }
} as const

export const ticketListQuery = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: TICKET_STATUSES },
    priority: { type: 'string', enum: PRIORITIES },
    category: { type: 'string' },
    search: { type: 'string' },
    ...paginationQuery()
  }
} as const

/** A ticket as answered: what the create body left unset is null; `resolution` while it is closed. */
export const ticketAnswer = {
  type: 'object',
  description: 'A ticket',
  properties: {
    id: { type: 'integer' },
    subject: { type: 'string' },
    description: { type: 'string' },
    status: { type: 'string', enum: TICKET_STATUSES },
    priority: { type: 'string', enum: PRIORITIES },
    category: { type: ['string', 'null'] },
    requester_email: { type: ['string', 'null'] },
    created_at: timestamp,
    updated_at: timestamp,
    resolution: { type: 'string', description: 'Given when the ticket was closed; shown while it stays closed' }
  },
  required: ['id', 'subject', 'description', 'status', 'priority', 'category', 'requester_email', 'created_at', 'updated_at']
} as const

export const ticketNoteAnswer = {
  type: 'object',
  description: 'A note on a ticket',
  properties: {
    id: { type: 'integer' },
    ticket_id: { type: 'integer' },
    body: { type: 'string' },
    private: { type: 'boolean' },
    created_at: timestamp
  },
  required: ['id', 'ticket_id', 'body', 'private', 'created_at']
} as const
