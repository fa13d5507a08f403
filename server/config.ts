// Configuration: one table of options, resolved purely as defaults < environment < flags.

import { parseArgs } from 'node:util'
import { ConfigError } from './errors.js'
import { parseKeySpec, type Scope } from './auth/keys.js'
import { parseDuration } from './scenario/duration.js'
import { DEFAULT_RETRY_SCHEDULE_MS } from './webhooks/queue.js'

export interface MockConfig {
  port: number
  host: string
  seed: number
  /** Scenario files or bundled names; the first is the default, the others chosen per request. */
  scenarios: string[]
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
  /** json: one JSON line per entry; text: readable lines; auto: text on a terminal, json otherwise (the CLI decides). */
  logFormat: 'auto' | 'json' | 'text'
  /** Requests per window per API key and session; 0 turns the limiter off. */
  rateLimit: number
  rateLimitWindowMs: number
  rateLimitHeaders: boolean
  /** API key → scopes; replaces the bundled keys when set. */
  keys: Record<string, readonly Scope[]> | undefined
  faultHeader: boolean
  idempotencyTtlMs: number
  bodyLimit: number
  maxSessions: number
  journalSize: number
  /** Records per collection (tickets, KB, ...) per session; creating more answers 507. */
  maxRecords: number
  /** Idempotency-Key answers kept per session; the oldest are forgotten first. */
  maxIdempotencyKeys: number
  /** Records added across all sessions; past it the least recently used sessions are forgotten. */
  maxTotalRecords: number
  maxHeaderBytes: number
  maxScenarioBytes: number
  maxRules: number
  /** Required as `Authorization: Bearer <token>` on admin routes (health excepted) when set. */
  adminToken: string | undefined
  /** false: the admin routes answer 404, except health. */
  admin: boolean
  watch: boolean
  /** redis:// or rediss:// URL of a shared store; undefined keeps state in this process. */
  store: string | undefined
  /** Put before every key in the shared store. */
  storePrefix: string
  /** A session idle this long is forgotten with all it owns (shared store). */
  sessionTtlMs: number
  /** Hosts beyond loopback that webhook deliveries may reach (`name`, an address, or `*.suffix`). */
  webhookHosts: string[]
  /** How long a webhook receiver has to answer a delivery. */
  webhookTimeoutMs: number
  /** Waits before each retry of a failed delivery; empty: never retried. */
  webhookRetriesMs: readonly number[]
}

export const DEFAULT_PORT = 4010
export const DEFAULT_SEED = 1

export const DEFAULT_CONFIG: Readonly<MockConfig> = Object.freeze({
  port: DEFAULT_PORT,
  host: '127.0.0.1',
  seed: DEFAULT_SEED,
  scenarios: [],
  logLevel: 'info',
  logFormat: 'auto',
  rateLimit: 600,
  rateLimitWindowMs: 60_000,
  rateLimitHeaders: false,
  keys: undefined,
  faultHeader: true,
  idempotencyTtlMs: 24 * 3600_000,
  bodyLimit: 1024 * 1024,
  maxSessions: 1000,
  journalSize: 1000,
  maxRecords: 10_000,
  maxIdempotencyKeys: 10_000,
  maxTotalRecords: 20_000,
  maxHeaderBytes: 16_384,
  maxScenarioBytes: 1_048_576,
  maxRules: 10_000,
  adminToken: undefined,
  admin: true,
  watch: false,
  store: undefined,
  storePrefix: 'aurion-mock:',
  sessionTtlMs: 3600_000,
  webhookHosts: [],
  webhookTimeoutMs: 10_000,
  webhookRetriesMs: DEFAULT_RETRY_SCHEDULE_MS
})

type Kind = 'int' | 'string' | 'list' | 'bool' | 'duration' | 'durations' | 'level' | 'keys' | 'store' | 'choice'

interface OptionSpec {
  flag: string
  env: string
  key: keyof MockConfig
  kind: Kind
  help: string
  short?: string
  min?: number
  max?: number
  /** The values a 'choice' option takes. */
  choices?: readonly string[]
}

/** The most retries --webhook-retries takes: a schedule is a few steps, not a loop. */
const MAX_RETRIES = 20

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

/** Every server option: its flag, environment variable and help line. */
export const OPTIONS: readonly OptionSpec[] = [
  { flag: 'port', short: 'p', env: 'AURION_MOCK_PORT', key: 'port', kind: 'int', min: 0, max: 65535, help: `port to listen on, 0 for any free one (default ${DEFAULT_PORT})` },
  { flag: 'host', env: 'AURION_MOCK_HOST', key: 'host', kind: 'string', help: 'address to bind (default 127.0.0.1; the Docker image uses 0.0.0.0)' },
  { flag: 'seed', env: 'AURION_MOCK_SEED', key: 'seed', kind: 'int', min: 0, max: 4294967295, help: `seed for fake data and seeded faults (default ${DEFAULT_SEED})` },
  { flag: 'scenario', short: 's', env: 'AURION_MOCK_SCENARIO', key: 'scenarios', kind: 'list', help: 'scenario file or bundled name; repeat for more (env: comma-separated); the first is the default' },
  { flag: 'log-level', env: 'AURION_MOCK_LOG_LEVEL', key: 'logLevel', kind: 'level', help: `one of ${LEVELS.join(', ')} (default info)` },
  { flag: 'log-format', env: 'AURION_MOCK_LOG_FORMAT', key: 'logFormat', kind: 'choice', choices: ['auto', 'json', 'text'], help: 'json (one JSON line per entry), text (readable lines) or auto: text on a terminal, json otherwise, as in a container (default auto)' },
  { flag: 'rate-limit', env: 'AURION_MOCK_RATE_LIMIT', key: 'rateLimit', kind: 'int', min: 0, max: 1e9, help: 'requests per window per API key and session, 0 = off (default 600)' },
  { flag: 'rate-limit-window', env: 'AURION_MOCK_RATE_LIMIT_WINDOW', key: 'rateLimitWindowMs', kind: 'duration', help: 'rate-limit window, e.g. 1m, 10s (default 1m)' },
  { flag: 'rate-limit-headers', env: 'AURION_MOCK_RATE_LIMIT_HEADERS', key: 'rateLimitHeaders', kind: 'bool', help: 'send X-RateLimit-* headers (off by default: Aurion documents none)' },
  { flag: 'key', env: 'AURION_MOCK_KEYS', key: 'keys', kind: 'keys', help: 'API key as KEY=scope,scope (or KEY=*); repeat for more (env: space-separated); replaces the bundled keys' },
  { flag: 'fault-header', env: 'AURION_MOCK_FAULT_HEADER', key: 'faultHeader', kind: 'bool', help: 'mark injected faults with an X-Mock-Fault header (default on; --no-fault-header)' },
  { flag: 'idempotency-ttl', env: 'AURION_MOCK_IDEMPOTENCY_TTL', key: 'idempotencyTtlMs', kind: 'duration', help: 'how long Idempotency-Key answers are kept (default 24h)' },
  { flag: 'body-limit', env: 'AURION_MOCK_BODY_LIMIT', key: 'bodyLimit', kind: 'int', min: 1, max: 1e9, help: 'largest request body in bytes (default 1048576)' },
  { flag: 'max-sessions', env: 'AURION_MOCK_MAX_SESSIONS', key: 'maxSessions', kind: 'int', min: 1, max: 1e7, help: 'sessions kept, least recently used dropped first (default 1000)' },
  { flag: 'journal-size', env: 'AURION_MOCK_JOURNAL_SIZE', key: 'journalSize', kind: 'int', min: 1, max: 1e7, help: 'journal entries kept per session (default 1000)' },
  { flag: 'max-records', env: 'AURION_MOCK_MAX_RECORDS', key: 'maxRecords', kind: 'int', min: 1, max: 1e7, help: 'records per resource kind per session; more answers 507 (default 10000)' },
  { flag: 'max-idempotency-keys', env: 'AURION_MOCK_MAX_IDEMPOTENCY_KEYS', key: 'maxIdempotencyKeys', kind: 'int', min: 1, max: 1e7, help: 'Idempotency-Key answers kept per session, oldest forgotten first (default 10000)' },
  { flag: 'max-total-records', env: 'AURION_MOCK_MAX_TOTAL_RECORDS', key: 'maxTotalRecords', kind: 'int', min: 1, max: 1e8, help: 'records and stored answers added across all sessions; past it the least recently used sessions are forgotten (default 20000)' },
  { flag: 'max-header-bytes', env: 'AURION_MOCK_MAX_HEADER_BYTES', key: 'maxHeaderBytes', kind: 'int', min: 1024, max: 1e7, help: 'largest request header block; more answers 431 (default 16384)' },
  { flag: 'max-scenario-bytes', env: 'AURION_MOCK_MAX_SCENARIO_BYTES', key: 'maxScenarioBytes', kind: 'int', min: 1, max: 1e9, help: 'largest scenario file (default 1048576)' },
  { flag: 'max-rules', env: 'AURION_MOCK_MAX_RULES', key: 'maxRules', kind: 'int', min: 1, max: 1e7, help: 'most rules in one scenario (default 10000)' },
  { flag: 'admin-token', env: 'AURION_MOCK_ADMIN_TOKEN', key: 'adminToken', kind: 'string', help: 'require "Authorization: Bearer <token>" on the admin routes (health stays open)' },
  { flag: 'admin', env: 'AURION_MOCK_ADMIN', key: 'admin', kind: 'bool', help: 'serve the admin routes under /__mock (default on; --no-admin keeps only health)' },
  { flag: 'watch', env: 'AURION_MOCK_WATCH', key: 'watch', kind: 'bool', help: 'reload scenario files when they change' },
  { flag: 'store', env: 'AURION_MOCK_STORE', key: 'store', kind: 'store', help: 'share state with other replicas in Redis: redis://[user:password@]host:port[/db] (rediss:// for TLS); default: in this process' },
  { flag: 'store-prefix', env: 'AURION_MOCK_STORE_PREFIX', key: 'storePrefix', kind: 'string', help: 'prefix of every key in the shared store (default aurion-mock:)' },
  { flag: 'session-ttl', env: 'AURION_MOCK_SESSION_TTL', key: 'sessionTtlMs', kind: 'duration', min: 1000, help: 'a session idle this long is forgotten with all it owns, in the shared store (default 1h)' },
  { flag: 'webhook-hosts', env: 'AURION_MOCK_WEBHOOK_HOSTS', key: 'webhookHosts', kind: 'list', help: 'hosts beyond loopback that webhook deliveries may reach, e.g. receiver or *.internal; repeat for more (env: comma-separated)' },
  { flag: 'webhook-timeout', env: 'AURION_MOCK_WEBHOOK_TIMEOUT', key: 'webhookTimeoutMs', kind: 'duration', help: 'how long a webhook receiver has to answer a delivery (default 10s)' },
  { flag: 'webhook-retries', env: 'AURION_MOCK_WEBHOOK_RETRIES', key: 'webhookRetriesMs', kind: 'durations', max: MAX_RETRIES, help: 'waits before each retry of a failed delivery, comma-separated, or none (default 1s,5s,30s,2m,10m)' }
]


function convert (spec: OptionSpec, raw: string | boolean | string[], from: string): unknown {
  const where = from === 'flag' ? `--${spec.flag}` : spec.env
  switch (spec.kind) {
    case 'bool':
      if (typeof raw === 'boolean') return raw
      if (/^(1|true|yes|on)$/i.test(String(raw))) return true
      if (/^(0|false|no|off)$/i.test(String(raw))) return false
      throw new ConfigError(`${where}: expected true or false, got "${String(raw)}"`)
    case 'int': {
      const text = String(raw)
      const n = Number(text)
      if (!/^\d+$/.test(text) || n < (spec.min ?? 0) || n > (spec.max ?? Number.MAX_SAFE_INTEGER)) {
        throw new ConfigError(`${where}: expected an integer from ${spec.min ?? 0} to ${spec.max ?? Number.MAX_SAFE_INTEGER}, got "${text}"`)
      }
      return n
    }
    case 'duration': {
      let ms: number
      try {
        ms = parseDuration(String(raw))
      } catch {
        throw new ConfigError(`${where}: expected a duration like 500ms, 10s, 1m or 24h, got "${String(raw)}"`)
      }
      if (spec.min !== undefined && ms < spec.min) throw new ConfigError(`${where}: must be at least ${spec.min} ms, got "${String(raw)}"`)
      return ms
    }
    case 'durations': {
      const text = String(raw).trim()
      if (text === 'none') return []
      const parts = text.split(',').map((s) => s.trim())
      const ms = parts.map((part) => {
        try {
          return parseDuration(part)
        } catch {
          throw new ConfigError(`${where}: expected durations like 1s,5s,30s (or none), got "${part}" in "${text}"`)
        }
      })
      if (ms.length > (spec.max ?? Infinity)) throw new ConfigError(`${where}: at most ${spec.max} retries, got ${ms.length}`)
      return ms
    }
    case 'level':
      if (!(LEVELS as readonly string[]).includes(String(raw))) throw new ConfigError(`${where}: expected one of ${LEVELS.join(', ')}, got "${String(raw)}"`)
      return raw
    case 'choice':
      if (!(spec.choices ?? []).includes(String(raw))) throw new ConfigError(`${where}: expected one of ${(spec.choices ?? []).join(', ')}, got "${String(raw)}"`)
      return raw
    case 'list':
      return (Array.isArray(raw) ? raw : String(raw).split(',')).map((s) => s.trim()).filter(Boolean)
    case 'keys': {
      const specs = Array.isArray(raw) ? raw : String(raw).split(/\s+/).filter(Boolean)
      try {
        return Object.fromEntries(specs.map(parseKeySpec))
      } catch (err) {
        throw new ConfigError(`${where}: ${(err as Error).message}`)
      }
    }
    case 'store':
      if (!/^rediss?:\/\/[^\s]+$/.test(String(raw))) throw new ConfigError(`${where}: expected redis://host:port or rediss://host:port, got "${String(raw)}"`)
      return raw
    default:
      return raw
  }
}

export interface ResolvedArgs {
  config: MockConfig
  /** Arguments that are not options (e.g. files for `validate`). */
  positionals: string[]
  help: boolean
  version: boolean
}

export { ConfigError }

/** Resolves defaults < environment < flags; throws ConfigError with a one-line message. */
export function resolveConfig (argv: readonly string[], env: Readonly<Record<string, string | undefined>>): ResolvedArgs {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {
    help: { type: 'boolean', short: 'h' },
    version: { type: 'boolean', short: 'v' }
  }
  for (const spec of OPTIONS) {
    options[spec.flag] = { type: spec.kind === 'bool' ? 'boolean' : 'string', ...(spec.short !== undefined ? { short: spec.short } : {}), ...(spec.kind === 'list' || spec.kind === 'keys' ? { multiple: true } : {}) }
  }
  let parsed
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, allowNegative: true, strict: true })
  } catch (err) {
    throw new ConfigError((err as Error).message.split('\n')[0] ?? 'bad arguments')
  }
  const config: Record<string, unknown> = { ...DEFAULT_CONFIG }
  for (const spec of OPTIONS) {
    const fromEnv = env[spec.env]
    if (fromEnv !== undefined && fromEnv !== '') config[spec.key] = convert(spec, fromEnv, 'env')
    const fromFlag = parsed.values[spec.flag]
    if (fromFlag !== undefined) config[spec.key] = convert(spec, fromFlag as string | boolean | string[], 'flag')
  }
  return {
    config: config as unknown as MockConfig,
    positionals: parsed.positionals,
    help: parsed.values.help === true,
    version: parsed.values.version === true
  }
}
