import { PermanentError, TransientError } from '../../domain/index';
import type { HttpResponse } from './httpCall';
import { parseRetryAfter } from './parseRetryAfter';

/**
 * The generic HTTP taxonomy: 408, 425, 429 and 5xx may succeed later (with the server's `Retry-After`), every other
 * non-2xx will not. `code` is the CRM's own error code when the adapter found one; messages carry no body text.
 */
export function errorForStatus(
    target: string,
    response: Pick<HttpResponse, 'status' | 'headers'>,
    now: Date,
    code?: string,
): TransientError | PermanentError {
    const { status } = response;
    const label = `${target}: HTTP ${status}${code ? ` ${code}` : ''}`;
    if (isTransientStatus(status)) {
        const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), now);
        return new TransientError(label, { status, code, retryAfterMs });
    }
    return new PermanentError(label, { status, code });
}

export function isTransientStatus(status: number): boolean {
    return status === 408 || status === 425 || status === 429 || status >= 500;
}
