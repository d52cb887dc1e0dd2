import { errorForStatus } from '../../../shared/adapters/crmKit/classifyStatus';
import { parseRetryAfter } from '../../../shared/adapters/crmKit/parseRetryAfter';
import { PermanentError, TransientError } from '../../../shared/domain/errors';

const now = new Date('2026-11-20T10:00:00Z');

describe('Retry-After parsing', () => {
    it('when the header holds delay-seconds, then it is read as milliseconds', () => {
        expect(parseRetryAfter('120', now)).toBe(120_000);
        expect(parseRetryAfter(' 0 ', now)).toBe(0);
        expect(parseRetryAfter('1.5', now)).toBe(1500);
    });

    it('when the header holds an HTTP-date, then the wait runs until that date', () => {
        expect(parseRetryAfter('Fri, 20 Nov 2026 10:00:30 GMT', now)).toBe(30_000);
        expect(parseRetryAfter('Friday, 20-Nov-26 10:01:00 GMT', now)).toBe(60_000);
    });

    it('when the date is past or the value unreadable, then it is 0 or undefined', () => {
        expect(parseRetryAfter('Fri, 20 Nov 2026 09:00:00 GMT', now)).toBe(0);
        expect(parseRetryAfter('-5', now)).toBeUndefined();
        expect(parseRetryAfter('soon', now)).toBeUndefined();
        expect(parseRetryAfter('', now)).toBeUndefined();
        expect(parseRetryAfter(null, now)).toBeUndefined();
    });
});

describe('HTTP status classification', () => {
    const response = (status: number, headers: Record<string, string> = {}) => ({
        status,
        headers: new Headers(headers),
    });

    it.each([408, 425, 429, 500, 502, 503, 504])('when the status is %s, then the error is transient', (status) => {
        expect(errorForStatus('t', response(status), now)).toBeInstanceOf(TransientError);
    });

    it.each([400, 401, 403, 404, 409, 413, 422])('when the status is %s, then the error is permanent', (status) => {
        expect(errorForStatus('t', response(status), now)).toBeInstanceOf(PermanentError);
    });

    it('when a 503 carries Retry-After, then the delay is kept with the status and code', () => {
        const error = errorForStatus('t', response(503, { 'retry-after': '7' }), now, 'BUSY') as TransientError;
        expect(error.details).toEqual({ status: 503, code: 'BUSY', retryAfterMs: 7000 });
        expect(error.message).toBe('t: HTTP 503 BUSY');
    });
});
