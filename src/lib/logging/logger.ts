/**
 * A small levelled, namespaced logger. Silent by default in tests and production; turn it on
 * with `localStorage.stemmaLog = 'debug'` (or `'info'`, `'warn'`) in the browser, or the
 * `STEMMA_LOG` environment variable in Node. Namespaces can be narrowed with
 * `stemmaLogNamespaces = 'store,sync'`.
 *
 * @example
 *   const log = logger('store');
 *   log.info('rebuilt projections', { events: 1200 });
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

export interface Logger {
  debug(message: string, detail?: unknown): void;
  info(message: string, detail?: unknown): void;
  warn(message: string, detail?: unknown): void;
  error(message: string, detail?: unknown): void;
}

interface Settings {
  level: LogLevel;
  namespaces: string[] | null;
}

let override: Settings | null = null;

function readSetting(key: string): string | undefined {
  try {
    const fromStorage = globalThis.localStorage?.getItem(key);
    if (fromStorage) return fromStorage;
  } catch {
    // Storage can be blocked (private mode, sandboxed frames); fall back to the environment.
  }
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
    ?.env;
  return env?.[key === 'stemmaLog' ? 'STEMMA_LOG' : 'STEMMA_LOG_NAMESPACES'];
}

function currentSettings(): Settings {
  if (override) return override;
  const level = readSetting('stemmaLog') as LogLevel | undefined;
  const namespaces = readSetting('stemmaLogNamespaces');
  return {
    level: level && level in rank ? level : 'silent',
    namespaces: namespaces ? namespaces.split(',').map((n) => n.trim()) : null,
  };
}

/** Set the level (and optionally namespaces) for this page or process, e.g. from a test. */
export function configureLogging(level: LogLevel, namespaces: string[] | null = null): void {
  override = { level, namespaces };
}

/** A logger whose lines are prefixed with `[stemma:namespace]`. */
export function logger(namespace: string): Logger {
  const emit = (level: Exclude<LogLevel, 'silent'>, message: string, detail?: unknown) => {
    const settings = currentSettings();
    if (rank[level] < rank[settings.level]) return;
    if (settings.namespaces && !settings.namespaces.includes(namespace)) return;
    const line = `[stemma:${namespace}] ${message}`;
    const sink = globalThis.console;
    const args = detail === undefined ? [line] : [line, detail];
    if (level === 'error') sink.error(...args);
    else if (level === 'warn') sink.warn(...args);
    else sink.info(...args);
  };
  return {
    debug: (m, d) => emit('debug', m, d),
    info: (m, d) => emit('info', m, d),
    warn: (m, d) => emit('warn', m, d),
    error: (m, d) => emit('error', m, d),
  };
}
