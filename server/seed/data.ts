// Deterministic fake records: generated from the resource schemas with json-schema-faker under
// the seed, once per seed, then shared read-only by every session.

import { generateSync } from 'json-schema-faker'
import type { SeedData } from '../store/types.js'
import { ticketRecord, TICKET_CATEGORIES } from '../api/schemas/tickets.js'
import { kbRecord } from '../api/schemas/kb.js'
import { userRecord } from '../api/schemas/users.js'
import { callRecord } from '../api/schemas/calls.js'
import { draw, drawInt } from '../util/rng.js'
import { isoSeconds } from '../util/time.js'

export const SEED_COUNTS = { tickets: 60, kb: 20, users: 25, calls: 45 } as const

/** Seed records are dated before this instant, so they never depend on when the mock started. */
export const SEED_EPOCH = Date.parse('2026-01-01T00:00:00Z')

const SUBJECTS: Record<string, readonly string[]> = {
  Network: ['VPN not connecting', 'Wi-Fi drops every few minutes', 'Cannot reach the intranet', 'Slow network on floor 3'],
  Hardware: ['Laptop battery drains fast', 'Monitor flickers', 'Docking station not detected', 'Keyboard keys stuck'],
  Software: ['Excel crashes on open', 'Teams update fails', 'License expired for Adobe', 'App freezes on login'],
  Access: ['Locked out of my account', 'Need access to the finance share', 'MFA code not arriving', 'Password reset request'],
  Email: ['Emails stuck in outbox', 'Shared mailbox missing', 'Spam filter too aggressive', 'Calendar invites not received'],
  Printing: ['Printer offline', 'Cannot add network printer', 'Print jobs stuck in queue', 'Scanner sends blank pages']
}
const FIRST = ['Jean', 'Marie', 'Luc', 'Sofia', 'Amir', 'Chloé', 'Noah', 'Emma', 'Hugo', 'Lea', 'Omar', 'Ines', 'Paul', 'Yara', 'Tom']
const LAST = ['Dupont', 'Martin', 'Bernard', 'Moreau', 'Laurent', 'Garcia', 'Rossi', 'Nguyen', 'Schmidt', 'Silva', 'Haddad', 'Kowalski']
const KB_TITLES = [
  'How to Set Up VPN on Windows', 'How to Set Up VPN on macOS', 'Resetting your password', 'Enrolling in MFA',
  'Connecting to a network printer', 'Fixing Outlook search', 'Requesting software', 'Using the shared drives',
  'Joining a Teams meeting from a room', 'Replacing a laptop battery', 'Setting up email on your phone',
  'Clearing the browser cache', 'Working from home checklist', 'Reporting a phishing email', 'Booking a desk',
  'Updating your profile photo', 'Recovering deleted files', 'Using the self-service portal', 'Encrypting a USB drive',
  'Troubleshooting Wi-Fi'
]


/** A timestamp `draw` days before the epoch, stable for (seed, namespace, n). */
function pastDate (seed: number, namespace: string, n: number, maxDays: number): number {
  return SEED_EPOCH - drawInt(seed, namespace, n, 3600, maxDays * 86400) * 1000
}

function pick<T> (list: readonly T[], seed: number, namespace: string, n: number): T {
  return list[drawInt(seed, namespace, n, 0, list.length - 1)] as T
}

/** Fakes only `fields` of a record schema (the rest is derived), with its own seed per record. */
function fake (schema: { properties: Record<string, unknown> }, fields: readonly string[], seed: number, n: number): Record<string, unknown> {
  const properties = Object.fromEntries(fields.map((f) => [f, schema.properties[f]]))
  return generateSync({ type: 'object', properties, required: [...fields] } as never, { seed: (seed * 7919 + n) >>> 0 }) as Record<string, unknown>
}

function name (seed: number, n: number): [string, string] {
  return [pick(FIRST, seed, 'first', n), pick(LAST, seed, 'last', n)]
}

function tickets (seed: number): Record<string, unknown>[] {
  return Array.from({ length: SEED_COUNTS.tickets }, (_, i) => {
    const base = fake(ticketRecord, ['status', 'priority', 'category'], seed, i)
    const category = base.category as typeof TICKET_CATEGORIES[number]
    const [first, last] = name(seed, i)
    const created = pastDate(seed, 'ticket-created', i, 90)
    const subject = pick(SUBJECTS[category] ?? [], seed, 'subject', i)
    return {
      id: 1001 + i,
      subject,
      description: `${subject}. Reported by ${first} ${last}; ${draw(seed, 'urgent', i) < 0.3 ? 'blocking work' : 'workaround available'}.`,
      status: base.status,
      priority: base.priority,
      category,
      requester_email: `${first}.${last}@example.com`.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, ''),
      created_at: isoSeconds(created),
      updated_at: isoSeconds(created + drawInt(seed, 'ticket-updated', i, 0, 86400) * 1000)
    }
  })
}

function kb (seed: number): Record<string, unknown>[] {
  return Array.from({ length: SEED_COUNTS.kb }, (_, i) => {
    const base = fake(kbRecord, ['category', 'status', 'views', 'helpful_votes', 'folder', 'tags'], seed, 1000 + i)
    const title = KB_TITLES[i % KB_TITLES.length] as string
    const created = pastDate(seed, 'kb-created', i, 365)
    return {
      id: 101 + i,
      title,
      category: base.category,
      status: base.status,
      views: base.views,
      helpful_votes: base.helpful_votes,
      content_html: `<h2>${title}</h2><p>Follow these steps.</p>`,
      folder: base.folder,
      tags: base.tags,
      created_at: isoSeconds(created),
      updated_at: isoSeconds(created + drawInt(seed, 'kb-updated', i, 0, 30 * 86400) * 1000)
    }
  })
}

function users (seed: number): Record<string, unknown>[] {
  return Array.from({ length: SEED_COUNTS.users }, (_, i) => {
    const base = fake(userRecord, ['role', 'is_active'], seed, 2000 + i)
    const [first, last] = name(seed, 100 + i)
    const created = pastDate(seed, 'user-created', i, 400)
    return {
      id: 42 + i,
      email: `${first}.${last}${i}@example.com`.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, ''),
      full_name: `${first} ${last}`,
      role: base.role,
      is_active: base.is_active,
      last_login_at: isoSeconds(pastDate(seed, 'user-login', i, 10)),
      created_at: isoSeconds(created),
      updated_at: isoSeconds(created)
    }
  })
}

function calls (seed: number, ticketCount: number): Record<string, unknown>[] {
  return Array.from({ length: SEED_COUNTS.calls }, (_, i) => {
    const base = fake(callRecord, ['caller_id', 'channel', 'duration_seconds', 'language', 'authenticated', 'escalated', 'sentiment', 'tools_used'], seed, 3000 + i)
    const started = pastDate(seed, 'call-started', i, 60)
    const duration = base.duration_seconds as number
    const [first, last] = name(seed, 200 + i)
    const made = draw(seed, 'call-ticket', i) < 0.4 ? [1001 + drawInt(seed, 'call-ticket-id', i, 0, ticketCount - 1)] : []
    return {
      id: `call_${drawInt(seed, 'call-id', i, 0, 0xffffff).toString(16).padStart(6, '0')}${i.toString(16).padStart(2, '0')}`,
      caller_id: base.caller_id,
      channel: base.channel,
      status: 'completed',
      duration_seconds: duration,
      language: base.language,
      started_at: isoSeconds(started),
      ended_at: isoSeconds(started + duration * 1000),
      requester_id: 42 + drawInt(seed, 'call-requester', i, 0, SEED_COUNTS.users - 1),
      tickets_created: made,
      authenticated: base.authenticated,
      requester_name: `${first} ${last}`,
      escalated: base.escalated,
      sentiment: base.sentiment,
      tools_used: base.tools_used
    }
  })
}

/** Fake records for a seed: tickets, KB articles, users and calls. Same seed, same bytes. */
export function generateSeedData (seed: number): SeedData {
  const t = tickets(seed)
  return Object.freeze({
    tickets: Object.freeze(t.map((r) => Object.freeze(r))),
    kb: Object.freeze(kb(seed).map((r) => Object.freeze(r))),
    users: Object.freeze(users(seed).map((r) => Object.freeze(r))),
    calls: Object.freeze(calls(seed, t.length).map((r) => Object.freeze(r))),
    configuration: Object.freeze([
      { id: 'general', value: { company_name: 'Example Corp', timezone: 'Europe/Paris', language: 'en-US' } },
      { id: 'ticketing', value: { default_priority: 'medium', auto_close_days: 7, categories: [...TICKET_CATEGORIES] } }
    ])
  }) as unknown as SeedData
}
