// Configuration: a key → JSON object store per section (GET returns it, PUT replaces it).

import type { FastifyInstance } from 'fastify'
import { AurionError } from '../errors.js'
import { configBody, configSectionParams } from './schemas/configuration.js'
import { sessionOf } from './util.js'

interface Section {
  id: string
  value: Record<string, unknown>
}

export async function configurationPlugin (app: FastifyInstance): Promise<void> {
  app.get<{ Params: { section: string } }>('/configuration/:section', { schema: { params: configSectionParams } }, async (request) => {
    const section = await sessionOf(request).collection<Section>('configuration').get(request.params.section)
    if (section === undefined) throw new AurionError('not_found', `Configuration section "${request.params.section}" not found`)
    return section.value
  })

  app.put<{ Params: { section: string } }>('/configuration/:section', { schema: { params: configSectionParams, body: configBody } }, async (request) => {
    const value = request.body as Record<string, unknown>
    await sessionOf(request).collection<Section>('configuration').put({ id: request.params.section, value })
    return value
  })
}
