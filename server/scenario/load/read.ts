// Reading a scenario file: at most the size limit (plus one byte, to tell it was exceeded), as UTF-8.

import { open } from 'node:fs/promises'

export type ReadResult = { ok: true; text: string } | { ok: false; message: string }

/** The file's text, or why it cannot be a scenario: unreadable, larger than `maxBytes`, or not UTF-8. */
export async function readScenarioText (path: string, maxBytes: number): Promise<ReadResult> {
  let head: { bytes: Buffer; size: number }
  try {
    head = await readHead(path, maxBytes)
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) }
  }
  if (head.size > maxBytes) return { ok: false, message: `scenario file too large (${head.size} bytes; limit ${maxBytes})` }
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(head.bytes) }
  } catch {
    return { ok: false, message: 'scenario file is not UTF-8 text' }
  }
}

// Stops after limit + 1 bytes, so a huge file or an endless device is never read whole.
async function readHead (path: string, limit: number): Promise<{ bytes: Buffer; size: number }> {
  const handle = await open(path, 'r')
  try {
    const { size } = await handle.stat()
    if (size > limit) return { bytes: Buffer.alloc(0), size }
    const chunks: Buffer[] = []
    let total = 0
    while (total <= limit) {
      const chunk = Buffer.alloc(Math.min(65_536, limit + 1 - total))
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null)
      if (bytesRead === 0) break
      chunks.push(chunk.subarray(0, bytesRead))
      total += bytesRead
    }
    return { bytes: Buffer.concat(chunks), size: total }
  } finally {
    await handle.close()
  }
}
