// Which hosts deliveries may reach: loopback always, others only when the operator lists them
// (--webhook-hosts), so a mock exposed on a network cannot be made to call other machines.

import { isIP } from 'node:net'

export const WEBHOOK_HOSTS_FLAG = '--webhook-hosts'
export const WEBHOOK_HOSTS_ENV = 'AURION_MOCK_WEBHOOK_HOSTS'

/** True for names and addresses that stay on this machine. */
export function isLoopback (hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '')
  if (host === 'localhost' || host.endsWith('.localhost')) return true
  if (isIP(host) === 4) return host.startsWith('127.')
  if (isIP(host) === 6) return host === '::1' || /^::ffff:127\./.test(host) || /^0*:(0*:){0,6}0*1$/.test(host)
  return false
}

/**
 * True when a webhook URL's host may receive deliveries: loopback, or a host the operator allowed.
 * An allowed entry is a host name or address (`receiver`, `10.0.0.5`), `*.suffix` for every
 * subdomain of suffix, or `*` for every host (only for a mock on a closed network).
 */
export function isAllowedWebhookUrl (url: string, allowed: readonly string[]): boolean {
  let host: string
  try {
    host = new URL(url).hostname.toLowerCase().replace(/^\[|\]$/g, '')
  } catch {
    return false
  }
  if (isLoopback(host)) return true
  return allowed.some((entry) => {
    const e = entry.toLowerCase().replace(/^\[|\]$/g, '')
    if (e === '*') return true
    return e.startsWith('*.') ? host.endsWith(e.slice(1)) : host === e
  })
}

/** Why a URL is refused, naming the flag that would allow it. */
export function refusedHostMessage (url: string): string {
  let host = url
  try {
    host = new URL(url).host
  } catch {}
  return `Deliveries go only to loopback hosts and hosts the operator allows: ${JSON.stringify(host)} is not allowed (start the mock with ${WEBHOOK_HOSTS_FLAG} ${host.replace(/:\d+$/, '')} or ${WEBHOOK_HOSTS_ENV})`
}
