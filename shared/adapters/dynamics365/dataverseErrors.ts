import { PermanentError, type TransientError } from '../../domain/index';
import { errorForStatus } from '../crmKit/classifyStatus';
import type { HttpResponse } from '../crmKit/httpCall';

/**
 * Dataverse answers OData errors `{ error: { code: '0x…', message } }`. Service-protection limits come as 429 with
 * `Retry-After` (codes 0x80072322 requests, 0x80072321 execution time, 0x80072326 concurrency); the generic
 * taxonomy honours the header. The message is never copied: it may quote the record's values.
 */
export function dataverseError(target: string, response: HttpResponse, now: Date): TransientError | PermanentError {
    const code = (response.json as { error?: { code?: string } } | undefined)?.error?.code;
    if (response.status === 401) return new PermanentError(`${target}: HTTP 401 token rejected`, { status: 401, code });
    return errorForStatus(target, response, now, code);
}
