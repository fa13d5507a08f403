// Webhook subscriptions: create (duplicate URL → 409 conflict; a host deliveries may not reach →
// 422), list, delete. Deliveries are server/webhooks'.

import { AurionError } from '../errors.js'
import { isoSeconds } from '../util/time.js'
import { answers, noContent } from './schemas/answers.js'
import { webhookCreateBody, webhookCreatedAnswer, webhookListAnswer } from './schemas/webhooks.js'
import { drawInt } from '../util/rng.js'
import { sessionOf, type EventfulOptions, type ResourcePlugin } from './util.js'
import { refusedHostMessage } from '../webhooks/hosts.js'
import type { Subscription } from '../webhooks/types.js'

type Webhook = Subscription

/** A URL as the WHATWG parser writes it (scheme and host lower-cased), to spot one registered twice. */
function normalUrl (url: string): string {
  try {
    return new URL(url).href
  } catch {
    return url
  }
}

export const webhooksPlugin: ResourcePlugin<EventfulOptions> = async (app, { clock, webhooks }) => {
  app.post('/webhooks', { schema: { summary: 'Subscribe a webhook', body: webhookCreateBody, response: answers({ 201: webhookCreatedAnswer }, [422, 507], true) } }, async (request, reply) => {
    const body = request.body
    if (!webhooks.allows(body.url)) throw new AurionError('validation_error', undefined, { details: [{ field: 'url', message: refusedHostMessage(body.url) }] })
    const hooks = sessionOf(request).collection<Webhook>('webhooks')
    const url = normalUrl(body.url)
    if ((await hooks.all()).some((h) => normalUrl(h.url) === url)) {
      throw new AurionError('conflict', `A webhook for ${body.url} already exists`)
    }
    const n = await hooks.nextId()
    // Ids in the documented wh_ form; derived from the counter and seed, so runs repeat exactly.
    const id = `wh_${drawInt(request.mock!.seed, 'webhook-id', n, 0, 0xffffff).toString(16).padStart(6, '0')}${n.toString(16)}`
    const hook: Webhook = {
      id,
      url: body.url,
      events: body.events,
      secret: body.secret ?? `whsec_${drawInt(request.mock!.seed, 'webhook-secret', n, 0, 0x7fffffff).toString(36)}`,
      is_active: true,
      created_at: isoSeconds(clock.now())
    }
    await hooks.put(hook)
    // The create answer shows the secret once and uses `active`, as the Aurion docs do.
    const { is_active: active, ...rest } = hook
    return reply.code(201).send({ ...rest, active })
  })

  app.get('/webhooks', { schema: { summary: 'List webhooks', response: answers({ 200: webhookListAnswer }, []) } }, async (request) => {
    const all = await sessionOf(request).collection<Webhook>('webhooks').all()
    return { webhooks: all.map(({ secret: _secret, ...visible }) => visible) }
  })

  app.delete<{ Params: { id: string } }>('/webhooks/:id', { schema: { summary: 'Delete a webhook', response: answers({ 204: noContent }, [404], true) } }, async (request, reply) => {
    const removed = await sessionOf(request).collection<Webhook>('webhooks').delete(request.params.id)
    if (!removed) throw new AurionError('not_found', 'Webhook not found')
    return reply.code(204).send()
  })
}
