import { PermanentError, TransientError } from '../../domain/index';
import { errorForStatus } from '../crmKit/classifyStatus';
import type { HttpResponse } from '../crmKit/httpCall';
import { parseRetryAfter } from '../crmKit/parseRetryAfter';

const hourMs = 3_600_000;

/**
 * HubSpot error bodies are `{ status: 'error', category, errorType?, policyName?, message, correlationId }`. A 429
 * names the exhausted policy: the daily one is waited out for an hour, the rolling ones for the interval the
 * `X-HubSpot-RateLimit-Interval-Milliseconds` header gives (or `Retry-After` when the server sends it).
 */
export function hubspotError(target: string, response: HttpResponse, now: Date): TransientError | PermanentError {
    const body = (response.json ?? {}) as { category?: string; errorType?: string; policyName?: string };
    const code = body.errorType ?? body.category;
    if (response.status === 429) {
        const daily =
            body.policyName === 'DAILY' || response.headers.get('x-hubspot-ratelimit-daily-remaining') === '0';
        const interval = Number(response.headers.get('x-hubspot-ratelimit-interval-milliseconds'));
        const retryAfterMs =
            parseRetryAfter(response.headers.get('retry-after'), now) ??
            (daily ? hourMs : Number.isFinite(interval) && interval > 0 ? interval : 10_000);
        return new TransientError(`${target}: HTTP 429 ${body.policyName ?? 'RATE_LIMIT'}`, {
            status: 429,
            code: body.policyName ?? 'RATE_LIMIT',
            retryAfterMs,
        });
    }
    if (response.status === 401) return new PermanentError(`${target}: HTTP 401 token rejected`, { status: 401, code });
    return errorForStatus(target, response, now, code);
}
