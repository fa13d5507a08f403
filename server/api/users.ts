// Users (synced requesters): list with role, is_active and search filters, and get.

import { answers, listOf } from './schemas/answers.js'
import { userAnswer, userListQuery } from './schemas/users.js'
import { integerId, matchesSearch, page, sendById, sessionOf, type ResourcePlugin } from './util.js'

interface User extends Record<string, unknown> {
  id: number
  role: string
  is_active: boolean
}

export const usersPlugin: ResourcePlugin = async (app) => {
  app.get('/users', { schema: { summary: 'List users', querystring: userListQuery, response: answers({ 200: listOf(userAnswer, 'A page of users, by id') }, [422]) } }, async (request) => {
    const q = request.query
    const all = await sessionOf(request).collection<User>('users').all()
    const matching = all.filter((u) =>
      (q.role === undefined || u.role === q.role) &&
      (q.is_active === undefined || u.is_active === q.is_active) &&
      matchesSearch(u, ['email', 'full_name'], q.search))
    return page(matching.sort((a, b) => a.id - b.id), q)
  })

  app.get<{ Params: { id: string } }>('/users/:id', { schema: { summary: 'Get a user', response: answers({ 200: userAnswer }, [404]) } }, (request, reply) =>
    sendById(reply, sessionOf(request).collection<User>('users'), integerId(request.params.id), 'User not found'))
}
