// Knowledge-base articles: list (search, category, status, pagination), get, create, update.

import type { FastifyRequest } from 'fastify'
import { AurionError } from '../errors.js'
import { isoSeconds } from '../util/time.js'
import { answers, listOf } from './schemas/answers.js'
import { idParams } from './schemas/common.js'
import { kbArticleAnswer, kbCreateBody, kbListQuery, kbSummaryAnswer, kbUpdateBody } from './schemas/kb.js'
import { integerId, matchesSearch, newestFirst, optionalBody, page, sendById, sessionOf, type ResourceOptions, type ResourcePlugin } from './util.js'

interface Article extends Record<string, unknown> {
  id: number
  title: string
  content_html: string
  category: string | null
  folder: string | null
  tags: string[]
  status: string
  views: number
  helpful_votes: number
  created_at: string
  updated_at: string
}

/** The list shows the summary fields; the detail adds content, folder, tags and created_at. */
const LIST_FIELDS = ['id', 'title', 'category', 'status', 'views', 'helpful_votes', 'updated_at'] as const

function summary (a: Article): Record<string, unknown> {
  return Object.fromEntries(LIST_FIELDS.map((f) => [f, a[f]]))
}

export const kbPlugin: ResourcePlugin<ResourceOptions> = async (app, { clock }) => {
  const articles = (request: FastifyRequest) => sessionOf(request).collection<Article>('kb')

  async function find (request: FastifyRequest, raw: string): Promise<Article> {
    const id = integerId(raw)
    const article = id === undefined ? undefined : await articles(request).get(id)
    if (article === undefined) throw new AurionError('not_found', 'Article not found')
    return article
  }

  app.get('/kb/articles', { schema: { summary: 'List articles', querystring: kbListQuery, response: answers({ 200: listOf(kbSummaryAnswer, 'A page of articles, last updated first') }, [422]) } }, async (request) => {
    const q = request.query
    const all = await articles(request).all()
    const matching = all.filter((a) =>
      (q.status === undefined || a.status === q.status) &&
      (q.category === undefined || (a.category ?? '').toLowerCase() === q.category.toLowerCase()) &&
      matchesSearch(a, ['title', 'content_html'], q.search))
    const result = page(matching.sort(newestFirst('updated_at')), q)
    return { ...result, data: result.data.map(summary) }
  })

  app.get<{ Params: { id: string } }>('/kb/articles/:id', { schema: { summary: 'Get an article', response: answers({ 200: kbArticleAnswer }, [404]) } }, (request, reply) => sendById(reply, articles(request), integerId(request.params.id), 'Article not found'))

  app.post('/kb/articles', { schema: { summary: 'Create an article', body: kbCreateBody, response: answers({ 201: kbArticleAnswer }, [422, 507], true) } }, async (request, reply) => {
    const body = request.body
    const collection = articles(request)
    const now = isoSeconds(clock.now())
    const article: Article = {
      id: await collection.nextId(),
      title: body.title,
      content_html: body.content_html,
      category: body.category ?? null,
      folder: body.folder ?? null,
      tags: body.tags ?? [],
      status: body.status ?? 'draft',
      views: 0,
      helpful_votes: 0,
      created_at: now,
      updated_at: now
    }
    await collection.put(article)
    return reply.code(201).send(article)
  })

  app.put('/kb/articles/:id', { schema: { summary: 'Update an article (the fields given)', params: idParams, body: kbUpdateBody, response: answers({ 200: kbArticleAnswer }, [404, 422], true) } }, async (request) => {
    const article = await find(request, request.params.id)
    const changes = optionalBody(request.body)
    const updated: Article = { ...article, updated_at: isoSeconds(clock.now()) }
    for (const f of Object.keys(kbUpdateBody.properties)) if (changes[f] !== undefined) updated[f] = changes[f]
    await articles(request).put(updated)
    return updated
  })
}
