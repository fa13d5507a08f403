// The bytes the mock answers the benchmark's GET and POST with, written to files so bare Fastify
// (bench/bare-server.mjs --get-body/--post-body) sends exactly the same bytes.

import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { API_KEY, CREATE_BODY, CREATE_PATH, TICKET_PATH } from './cases.mjs'
import { httpRequest } from './children.mjs'

/** Asks a running mock for its answers; writes DIR/get-body.json and DIR/post-body.json. */
export async function captureBodies (mockUrl, dir) {
  const get = await httpRequest(`${mockUrl}${TICKET_PATH}`, { headers: { 'x-api-key': API_KEY } })
  if (get.status !== 200) throw new Error(`GET ${TICKET_PATH} answered ${get.status}: ${get.body}`)
  const post = await httpRequest(`${mockUrl}${CREATE_PATH}`, {
    method: 'POST',
    headers: { 'x-api-key': API_KEY, 'content-type': 'application/json', 'idempotency-key': 'bench-capture' },
    body: CREATE_BODY
  })
  if (post.status !== 201) throw new Error(`POST ${CREATE_PATH} answered ${post.status}: ${post.body}`)
  const bodies = { get: join(dir, 'get-body.json'), post: join(dir, 'post-body.json') }
  writeFileSync(bodies.get, get.body)
  writeFileSync(bodies.post, post.body)
  return { ...bodies, getBytes: get.body.length, postBytes: post.body.length }
}
