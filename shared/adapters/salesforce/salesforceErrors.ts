import { PermanentError, TransientError } from '../../domain/index';
import { errorForStatus } from '../crmKit/classifyStatus';
import type { HttpResponse } from '../crmKit/httpCall';
import { parseRetryAfter } from '../crmKit/parseRetryAfter';

/** Codes Salesforce uses for conditions that pass on their own (a locked row, a busy server). */
const transientCodes = new Set(['UNABLE_TO_LOCK_ROW', 'SERVER_UNAVAILABLE', 'REQUEST_RUNNING_TOO_LONG']);

/** The first `errorCode` of a Salesforce REST error body (`[{ message, errorCode, fields }]`). */
export function salesforceErrorCode(response: HttpResponse): string | undefined {
    const body = response.json;
    if (Array.isArray(body)) return (body[0] as { errorCode?: string } | undefined)?.errorCode;
    return undefined;
}

/** The fields the first error names (`fields` of `[{ message, errorCode, fields }]`). */
export function salesforceErrorFields(response: HttpResponse): string[] {
    const body = response.json;
    const fields = Array.isArray(body) ? (body[0] as { fields?: unknown } | undefined)?.fields : undefined;
    return Array.isArray(fields) ? fields.filter((f): f is string => typeof f === 'string') : [];
}

/**
 * Salesforce refuses the owner itself: a deactivated user (`INACTIVE_OWNER_OR_USER`) or an id that names no user or
 * queue (`INVALID_CROSS_REFERENCE_KEY` on `OwnerId`). SOAP API Developer Guide, "StatusCode"; the REST API answers
 * the same codes in its error body.
 */
export function ownerRefused(response: HttpResponse): string | undefined {
    const code = salesforceErrorCode(response);
    if (code === 'INACTIVE_OWNER_OR_USER') return code;
    if (code === 'INVALID_CROSS_REFERENCE_KEY' && salesforceErrorFields(response).includes('OwnerId')) return code;
    return undefined;
}

/**
 * `REQUEST_LIMIT_EXCEEDED` (403) is the org's 24-hour API allocation: transient, but only worth retrying much later.
 * A 300 means the external id matched several leads, which retrying cannot fix. Messages may quote field values, so
 * only the codes are kept.
 */
export function salesforceError(
    target: string,
    response: HttpResponse,
    now: Date,
    requestLimitRetryMs: number,
): TransientError | PermanentError {
    const code = salesforceErrorCode(response);
    if (code === 'REQUEST_LIMIT_EXCEEDED') {
        return new TransientError(`${target}: HTTP ${response.status} ${code}`, {
            status: response.status,
            code,
            retryAfterMs: requestLimitRetryMs,
        });
    }
    if (code && transientCodes.has(code)) {
        const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), now);
        return new TransientError(`${target}: HTTP ${response.status} ${code}`, {
            status: response.status,
            code,
            retryAfterMs,
        });
    }
    if (response.status === 300) {
        return new PermanentError(`${target}: external id matches several leads`, {
            status: 300,
            code: 'MULTIPLE_MATCHES',
        });
    }
    return errorForStatus(target, response, now, code);
}
