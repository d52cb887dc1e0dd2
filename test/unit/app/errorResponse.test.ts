import { DeliveryConflictError } from '../../../shared/app/commitWithRetry';
import { answeringErrors, errorResponse } from '../../../shared/app/errorResponse';
import { ConfigError, ValidationError } from '../../../shared/domain';
import { testContext } from '../../fakes/fakes';

const failing = (err: Error) => answeringErrors(async (_request: unknown) => Promise.reject(err));

describe('error responses', () => {
    it('when a handler answers an error then the envelope is { error: { code, message } } plus its extras', () => {
        expect(errorResponse(413, 'too-large', 'Too big.', { maxBytes: 1 })).toEqual({
            status: 413,
            jsonBody: { error: { code: 'too-large', message: 'Too big.' }, maxBytes: 1 },
        });
    });

    it('when the configuration is broken then the answer is 503 not-configured listing every problem, logged once', async () => {
        const { context, lines } = testContext('t');
        const problems = [
            { path: 'AzureWebJobsStorage', message: 'is not set' },
            { path: 'pipeline.delivery.timeoutSeconds', message: 'Too small' },
        ];

        const res = await answeringErrors(async (_r: unknown, _c: typeof context) =>
            Promise.reject(new ConfigError(problems)),
        )({}, context);

        expect(res).toEqual({
            status: 503,
            jsonBody: { error: { code: 'not-configured', message: 'The app is not configured correctly.' }, problems },
        });
        expect(lines).toHaveLength(1);
    });

    it('when the rows kept changing then the answer is 503 busy with Retry-After; a validation error is 400', async () => {
        expect(await failing(new DeliveryConflictError('lk-1', 5))({})).toMatchObject({
            status: 503,
            headers: { 'Retry-After': '5' },
            jsonBody: { error: { code: 'busy' } },
        });
        expect(await failing(new ValidationError('bad', [{ path: 'x', message: 'y' }]))({})).toEqual({
            status: 400,
            jsonBody: { error: { code: 'bad-request', message: 'bad' }, problems: [{ path: 'x', message: 'y' }] },
        });
    });

    it('when anything else fails then it is thrown on, so the invocation fails and is counted', async () => {
        const boom = new Error('storage down');
        await expect(failing(boom)({})).rejects.toBe(boom);
    });
});
