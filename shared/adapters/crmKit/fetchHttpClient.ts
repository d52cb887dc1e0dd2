import {
    createHttpHeaders,
    type HttpClient,
    type PipelineRequest,
    type PipelineResponse,
    RestError,
} from '@azure/core-rest-pipeline';

import { defaultTimeoutMs } from './httpCall';

/**
 * An Azure SDK `HttpClient` over the target's injected `fetch`, so `@azure/identity` token requests take the same
 * path as the CRM calls (and a test can point them at a loopback fake), bounded by the target's call timeout like
 * every other call. Only string bodies are needed: MSAL sends form-encoded token requests.
 */
export function fetchHttpClient(fetchFn: typeof fetch, timeoutMs: number = defaultTimeoutMs): HttpClient {
    return {
        async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
            const body = typeof request.body === 'string' ? request.body : undefined;
            const timeout = AbortSignal.timeout(timeoutMs);
            const given = request.abortSignal as AbortSignal | undefined;
            let response: Response;
            try {
                response = await fetchFn(request.url, {
                    method: request.method,
                    headers: request.headers.toJSON(),
                    body,
                    signal: given === undefined ? timeout : AbortSignal.any([given, timeout]),
                });
            } catch (err) {
                const message = timeout.aborted
                    ? `timed out after ${timeoutMs} ms`
                    : err instanceof Error
                      ? err.message
                      : 'request failed';
                throw new RestError(message, {
                    code: RestError.REQUEST_SEND_ERROR,
                    request,
                });
            }
            const headers = createHttpHeaders();
            response.headers.forEach((value, key) => headers.set(key, value));
            return { request, status: response.status, headers, bodyAsText: await response.text() };
        },
    };
}
