import { ConfigError, ValidationError } from '../domain/index';
import type { Logger } from '../ports/Logger';
import { DeliveryConflictError } from './commitWithRetry';
import { contextLogger, type InvocationLog } from './contextLogger';

/** What an HTTP function answers: the part of `HttpResponseInit` this app uses (structural, no SDK import). */
export interface HttpAnswer {
    status: number;
    jsonBody?: unknown;
    headers?: Record<string, string>;
}

/** The one error envelope every HTTP function answers with: `{ error: { code, message }, ...extra }`. */
export function errorResponse(
    status: number,
    code: string,
    message: string,
    extra: Record<string, unknown> = {},
): HttpAnswer {
    return { status, jsonBody: { error: { code, message }, ...extra } };
}

export const notFound = (message: string): HttpAnswer => errorResponse(404, 'not-found', message);

export const badRequest = (message: string): HttpAnswer => errorResponse(400, 'bad-request', message);

/**
 * What a request answers when its handler threw one of the app's own errors, logged once here by the error's name
 * (never its data): a `ConfigError` is 503 `not-configured` with every problem (paths and messages name settings and
 * options, never values); a `DeliveryConflictError` 503 `busy`, worth retrying; a `ValidationError` 400 with its
 * problems. Anything else is undefined: it stays a failed invocation, which the host logs and the alerts count.
 */
export function responseForError(err: unknown, logger: Logger): HttpAnswer | undefined {
    const name = err instanceof Error ? err.name : typeof err;
    if (err instanceof ConfigError) {
        logger.error('Request failed: the app is not configured', { error: name, problems: err.problems.length });
        return errorResponse(503, 'not-configured', 'The app is not configured correctly.', {
            problems: err.problems,
        });
    }
    if (err instanceof DeliveryConflictError) {
        logger.warn('Request failed: the lead kept changing', { error: name, leadId: err.leadId });
        return {
            ...errorResponse(503, 'busy', 'The lead is being changed by another run; retry shortly.'),
            headers: { 'Retry-After': '5' },
        };
    }
    if (err instanceof ValidationError) {
        logger.warn('Request refused', { error: name });
        return errorResponse(400, 'bad-request', err.message, { problems: err.problems });
    }
    return undefined;
}

const silent: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * An HTTP handler whose known failures answer with the error envelope (see {@link responseForError}) instead of the
 * host's bare 500. The second argument, when given, is the invocation the failure is logged to.
 */
export function answeringErrors<A extends [request: unknown, context?: InvocationLog]>(
    handler: (...args: A) => Promise<HttpAnswer>,
): (...args: A) => Promise<HttpAnswer> {
    return async (...args) => {
        try {
            return await handler(...args);
        } catch (err) {
            const context = args[1];
            const answer = responseForError(err, context === undefined ? silent : contextLogger(context));
            if (answer === undefined) throw err;
            return answer;
        }
    };
}
