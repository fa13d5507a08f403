// The Aurion webhook signature: `sha256=` and the hex HMAC-SHA256 of the raw body, keyed with the secret.

import { createHmac } from 'node:crypto'

export const SIGNATURE_HEADER = 'x-aurion-signature'

/** The X-Aurion-Signature value for a raw body (UTF-8) and a webhook secret (UTF-8). */
export function signBody (secret: string, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody, 'utf8').digest('hex')}`
}
