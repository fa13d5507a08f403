// Tickets: list (filters, search, pagination), get, create, partial update, notes and close.

import { AurionError } from '../errors.js'
import { isoSeconds } from '../util/time.js'
import { answers, listOf } from './schemas/answers.js'
import { idParams } from './schemas/common.js'
import { ticketAnswer, ticketCloseBody, ticketCreateBody, ticketListQuery, ticketNoteAnswer, ticketNoteBody, ticketUpdateBody } from './schemas/tickets.js'
import { integerId, matchesSearch, newestFirst, notify, optionalBody, page, sendById, sessionOf, type EventfulOptions, type ResourcePlugin } from './util.js'

export interface Ticket extends Record<string, unknown> {
  id: number
  subject: string
  description: string
  status: string
  priority: string
  category: string | null
  requester_email: string | null
  created_at: string
  updated_at: string
  /** Given when the ticket was closed; shown while it stays closed. */
  resolution?: string
}

const SEARCH_FIELDS = ['subject', 'description'] as const

/**
 * A resolution belongs to a closed ticket: one that leaves `closed` (`ticket.reopened`) looks like
 * any open ticket, the documented object without it.
 */
function withoutStaleResolution (ticket: Ticket): Ticket {
  if (ticket.status === 'closed' || ticket.resolution === undefined) return ticket
  const { resolution: _resolution, ...open } = ticket
  return open
}

/** The event a ticket update is, if any: closing, reopening, or a change of status or priority. */
function updateEvent (before: Ticket, after: Ticket): string | undefined {
  if (before.status !== 'closed' && after.status === 'closed') return 'ticket.closed'
  if (before.status === 'closed' && after.status !== 'closed') return 'ticket.reopened'
  if (before.status !== after.status || before.priority !== after.priority) return 'ticket.updated'
  return undefined
}

export const ticketsPlugin: ResourcePlugin<EventfulOptions> = async (app, { clock, webhooks }) => {
  const tickets = (request: Parameters<typeof sessionOf>[0]) => sessionOf(request).collection<Ticket>('tickets')

  async function find (request: Parameters<typeof sessionOf>[0], raw: string): Promise<Ticket> {
    const id = integerId(raw)
    const ticket = id === undefined ? undefined : await tickets(request).get(id)
    if (ticket === undefined) throw new AurionError('not_found', 'Ticket not found')
    return ticket
  }

  app.get('/tickets', { schema: { summary: 'List tickets', querystring: ticketListQuery, response: answers({ 200: listOf(ticketAnswer, 'A page of tickets, newest first') }, [422]) } }, async (request) => {
    const q = request.query
    const all = await tickets(request).all()
    const matching = all.filter((t) =>
      (q.status === undefined || t.status === q.status) &&
      (q.priority === undefined || t.priority === q.priority) &&
      (q.category === undefined || (t.category ?? '').toLowerCase() === q.category.toLowerCase()) &&
      matchesSearch(t, SEARCH_FIELDS, q.search))
    return page(matching.sort(newestFirst('created_at')), q)
  })

  app.get<{ Params: { id: string } }>('/tickets/:id', { schema: { summary: 'Get a ticket', response: answers({ 200: ticketAnswer }, [404]) } }, (request, reply) => sendById(reply, tickets(request), integerId(request.params.id), 'Ticket not found'))

  app.post('/tickets', { schema: { summary: 'Create a ticket', body: ticketCreateBody, response: answers({ 201: ticketAnswer }, [422, 507], true) } }, async (request, reply) => {
    const body = request.body
    const collection = tickets(request)
    const now = isoSeconds(clock.now())
    const ticket: Ticket = {
      id: await collection.nextId(),
      subject: body.subject,
      description: body.description,
      status: body.status ?? 'open',
      priority: body.priority ?? 'medium',
      category: body.category ?? null,
      requester_email: body.requester_email ?? null,
      created_at: now,
      updated_at: now
    }
    await collection.put(ticket)
    notify(webhooks, request, 'ticket.created', ticket)
    return reply.code(201).send(ticket)
  })

  app.put('/tickets/:id', { schema: { summary: 'Update a ticket (the fields given)', params: idParams, body: ticketUpdateBody, response: answers({ 200: ticketAnswer }, [404, 422], true) } }, async (request) => {
    const ticket = await find(request, request.params.id)
    const changes = optionalBody(request.body)
    const updated: Ticket = { ...ticket, updated_at: isoSeconds(clock.now()) }
    // null is a value here (category or requester_email unset); a field left out stays as it was.
    for (const f of Object.keys(ticketUpdateBody.properties)) if (changes[f] !== undefined) updated[f] = changes[f]
    const saved = withoutStaleResolution(updated)
    await tickets(request).put(saved)
    const event = updateEvent(ticket, saved)
    if (event !== undefined) notify(webhooks, request, event, saved)
    return saved
  })

  app.post('/tickets/:id/notes', { schema: { summary: 'Add a note to a ticket', params: idParams, body: ticketNoteBody, response: answers({ 201: ticketNoteAnswer }, [404, 422, 507], true) } }, async (request, reply) => {
    const ticket = await find(request, request.params.id)
    const body = request.body
    const notes = sessionOf(request).collection<{ id: number; ticket_id: number; body: string; private: boolean; created_at: string }>('notes')
    const note = { id: await notes.nextId(), ticket_id: ticket.id, body: body.body, private: body.private ?? false, created_at: isoSeconds(clock.now()) }
    await notes.put(note)
    notify(webhooks, request, 'ticket.note_added', note)
    return reply.code(201).send(note)
  })

  app.post('/tickets/:id/close', { schema: { summary: 'Close a ticket (body optional)', params: idParams, body: ticketCloseBody, response: answers({ 200: ticketAnswer }, [404, 422], true) } }, async (request) => {
    const ticket = await find(request, request.params.id)
    const closed: Ticket = { ...ticket, status: 'closed', updated_at: isoSeconds(clock.now()) }
    const { resolution } = optionalBody(request.body)
    if (resolution !== undefined) closed.resolution = resolution
    await tickets(request).put(closed)
    if (ticket.status !== 'closed') notify(webhooks, request, 'ticket.closed', closed)
    return closed
  })
}
