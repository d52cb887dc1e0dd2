import type { Logger } from '../ports/Logger';
import { recordLogEvent } from '../telemetry/withSpan';

/** The logging methods of an `InvocationContext` (structural, so shared code needs no `@azure/functions` import). */
export interface InvocationLog {
    trace(...args: unknown[]): void;
    info(...args: unknown[]): void;
    warn(...args: unknown[]): void;
    error(...args: unknown[]): void;
}

/**
 * A Logger that writes through the invocation, so the host keeps the invocation correlation. The fields stay
 * fields: a separate argument of the host's log line, and the attributes of an event on the active span, which
 * Application Insights keeps as custom dimensions.
 */
export function contextLogger(context: InvocationLog): Logger {
    const write = (method: keyof InvocationLog, level: string) => (message: string, data?: Record<string, unknown>) => {
        if (data === undefined) context[method](message);
        else context[method](message, data);
        recordLogEvent(level, message, data);
    };
    return {
        debug: write('trace', 'debug'),
        info: write('info', 'info'),
        warn: write('warn', 'warning'),
        error: write('error', 'error'),
    };
}
