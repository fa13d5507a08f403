// A client generated from the document, as a team would make one: openapi-typescript writes the
// types, tsc checks a small program written against them with openapi-fetch (strict, with lines
// that must not compile), and the program calls a running mock: create, get, list, a 422.

import t from 'tap'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import openapiTS, { astToString } from 'openapi-typescript'
import { FULL, serve } from '../helpers.js'
import { REPO_ROOT, run } from '../library/built.js'

const CLIENT = `import createClient from 'openapi-fetch'
import type { paths } from './aurion.js'

export async function useAurion (baseUrl: string, key: string) {
  const aurion = createClient<paths>({ baseUrl, headers: { 'X-API-Key': key } })
  const created = await aurion.POST('/api/v1/tickets', {
    params: { header: { 'Idempotency-Key': 'generated-client-1' } },
    body: { subject: 'From a generated client', description: 'openapi-fetch', priority: 'high' }
  })
  if (created.data === undefined) throw new Error('create failed: ' + created.response.status)
  const id: number = created.data.id
  const got = await aurion.GET('/api/v1/tickets/{id}', { params: { path: { id: String(id) } } })
  const list = await aurion.GET('/api/v1/tickets', { params: { query: { status: 'open', limit: 5 } } })
  const invalid = await aurion.POST('/api/v1/tickets', { body: { subject: '', description: 'no subject' } })
  return {
    created: { status: created.response.status, id, priority: created.data.priority },
    got: { status: got.response.status, subject: got.data?.subject },
    list: { status: list.response.status, total: list.data?.total, limit: list.data?.limit, first: list.data?.data[0]?.id },
    invalid: { status: invalid.response.status, error: invalid.error?.error, fields: invalid.error?.details?.map((d) => d.field) }
  }
}

export function wrongUses (aurion: ReturnType<typeof createClient<paths>>) {
  // @ts-expect-error: priority takes the documented values only
  void aurion.POST('/api/v1/tickets', { body: { subject: 's', description: 'd', priority: 'asap' } })
  // @ts-expect-error: description is required
  void aurion.POST('/api/v1/tickets', { body: { subject: 's' } })
  // @ts-expect-error: the API has no such path
  void aurion.GET('/api/v1/tickets/{id}/history', { params: { path: { id: '1' } } })
}
`

/** Strict, as the repository's own; fetch's types from the DOM library, no @types. */
const TSCONFIG = {
  compilerOptions: {
    module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', lib: ['ES2022', 'DOM'], types: [],
    strict: true, exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true, skipLibCheck: true
  },
  files: ['client.ts', 'aurion.ts']
}

interface Outcome {
  created: { status: number; id: number; priority: string }
  got: { status: number; subject: string }
  list: { status: number; total: number; limit: number; first: number }
  invalid: { status: number; error: string; fields: string[] }
}

t.test('a client generated with openapi-typescript + openapi-fetch type-checks and works against the mock', async (t) => {
  const server = await serve(t)
  const doc = await (await fetch(`${server.url}/__mock/openapi.json`)).text()
  // Inside the repository (.tap/fixtures), so the program resolves openapi-fetch from its node_modules.
  const dir = t.testdir({ 'package.json': JSON.stringify({ type: 'module' }), 'tsconfig.json': JSON.stringify(TSCONFIG), 'client.ts': CLIENT })
  writeFileSync(join(dir, 'aurion.ts'), astToString(await openapiTS(doc)))

  const tsc = await run(process.execPath, [join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-p', '.'], { cwd: dir })
  t.equal(tsc.code, 0, 'tsc: the generated types check, and each wrong use is an error', { output: tsc.stdout + tsc.stderr })
  if (tsc.code !== 0) return

  const { useAurion } = await import(pathToFileURL(join(dir, 'client.js')).href) as { useAurion: (url: string, key: string) => Promise<Outcome> }
  const outcome = await useAurion(server.url, FULL)
  t.match(outcome.created, { status: 201, priority: 'high' })
  t.same(outcome.got, { status: 200, subject: 'From a generated client' })
  t.same(outcome.list, { status: 200, total: outcome.list.total, limit: 5, first: outcome.created.id })
  t.ok(outcome.list.total > 5, 'the seeded open tickets and the new one')
  t.same(outcome.invalid, { status: 422, error: 'validation_error', fields: ['subject'] })
})
