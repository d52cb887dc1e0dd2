import type { HostLogger } from '../contracts';

type Level = 'debug' | 'info' | 'warn' | 'error';
const order: Record<Level, number> = { debug: 0, info: 1, warn: 2, error: 3 };

function line(level: Level, message: string, data?: Record<string, unknown>): string {
    const suffix = data && Object.keys(data).length > 0 ? ` ${JSON.stringify(data)}` : '';
    const tag = level === 'info' ? '' : ` ${level.toUpperCase()}`;
    return `[${new Date().toISOString()}]${tag} ${message}${suffix}\n`;
}

/**
 * The host's log: one line per event on stdout (warnings and errors on stderr), like Core Tools' console. Level from
 * `LOCAL_HOST_LOG_LEVEL` (debug, info, warn, error; default info).
 */
export function createConsoleLogger(minLevel: string | undefined = process.env.LOCAL_HOST_LOG_LEVEL): HostLogger {
    const min = order[(minLevel as Level | undefined) ?? 'info'] ?? order.info;
    const write = (level: Level, message: string, data?: Record<string, unknown>): void => {
        if (order[level] < min) return;
        (order[level] >= order.warn ? process.stderr : process.stdout).write(line(level, message, data));
    };
    return {
        debug: (m, d) => write('debug', m, d),
        info: (m, d) => write('info', m, d),
        warn: (m, d) => write('warn', m, d),
        error: (m, d) => write('error', m, d),
    };
}
