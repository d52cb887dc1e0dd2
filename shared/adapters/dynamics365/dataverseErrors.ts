import { PermanentError, type TransientError } from '../../domain/index';
import { errorForStatus } from '../crmKit/classifyStatus';
import type { HttpResponse } from '../crmKit/httpCall';

/** The OData error code (`{ error: { code: '0x…', message } }`), if the body has one. */
export function dataverseErrorCode(response: HttpResponse): string | undefined {
    return (response.json as { error?: { code?: string } } | undefined)?.error?.code;
}

/**
 * Dataverse answers OData errors `{ error: { code: '0x…', message } }`. Service-protection limits come as 429 with
 * `Retry-After` (codes 0x80072322 requests, 0x80072321 execution time, 0x80072326 concurrency); the generic
 * taxonomy honours the header. The message is never copied: it may quote the record's values.
 */
export function dataverseError(target: string, response: HttpResponse, now: Date): TransientError | PermanentError {
    const code = dataverseErrorCode(response);
    if (response.status === 401) return new PermanentError(`${target}: HTTP 401 token rejected`, { status: 401, code });
    return errorForStatus(target, response, now, code);
}

/**
 * `0x80040217` ObjectDoesNotExist for a record a binding names ("Entity 'campaign' With Id = … Does Not Exist"): the
 * message is read only for the table name, never kept.
 */
export function isMissingReference(response: HttpResponse): boolean {
    if (response.status !== 400 && response.status !== 404) return false;
    if (dataverseErrorCode(response) !== '0x80040217') return false;
    const message = (response.json as { error?: { message?: string } } | undefined)?.error?.message ?? '';
    return /\b(campaign|systemuser|team)\b/iu.test(message);
}
