// Configuration: a key → JSON object store per section (GET returns it, PUT replaces it).

import { AurionError } from '../errors.js'
import { answers } from './schemas/answers.js'
import { configAnswer, configBody, configSectionParams } from './schemas/configuration.js'
import { sessionOf, type ResourcePlugin } from './util.js'

interface Section {
  id: string
  value: Record<string, unknown>
}

export const configurationPlugin: ResourcePlugin = async (app) => {
  app.get('/configuration/:section', { schema: { summary: 'Read a configuration section', params: configSectionParams, response: answers({ 200: configAnswer }, [404, 422]) } }, async (request) => {
    const section = await sessionOf(request).collection<Section>('configuration').get(request.params.section)
    if (section === undefined) throw new AurionError('not_found', `Configuration section "${request.params.section}" not found`)
    return section.value
  })

  app.put('/configuration/:section', { schema: { summary: 'Replace a configuration section', params: configSectionParams, body: configBody, response: answers({ 200: configAnswer }, [422], true) } }, async (request) => {
    const value = request.body
    await sessionOf(request).collection<Section>('configuration').put({ id: request.params.section, value })
    return value
  })
}
