import { TransientError } from '../../domain/index';

export interface HttpRequest {
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
    url: string;
    headers?: Record<string, string>;
    /** A string is sent as is; an object is sent as JSON with `Content-Type: application/json`. */
    body?: string | object;
}

export interface HttpResponse {
    status: number;
    headers: Headers;
    text: string;
    /** The body parsed as JSON, or `undefined` when it is empty or not JSON. */
    json: unknown;
}

export const defaultTimeoutMs = 30_000;

/**
 * One HTTP exchange with a timeout. Network failures (reset, refused, DNS) and timeouts become `TransientError`
 * with codes `network` / `timeout`; every HTTP status is returned for the caller to classify, because each CRM
 * signals auth expiry and throttling differently. Error messages name the host only, never the query string.
 */
export async function httpCall(
    fetchFn: typeof fetch,
    request: HttpRequest,
    timeoutMs: number = defaultTimeoutMs,
): Promise<HttpResponse> {
    const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
    let body: string | undefined;
    if (typeof request.body === 'string') body = request.body;
    else if (request.body !== undefined) {
        body = JSON.stringify(request.body);
        headers['content-type'] ??= 'application/json';
    }
    const host = safeHost(request.url);
    let response: Response;
    let text: string;
    const signal = AbortSignal.timeout(timeoutMs);
    try {
        response = await fetchFn(request.url, { method: request.method, headers, body, signal });
        text = await response.text();
    } catch (err) {
        if (signal.aborted) {
            throw new TransientError(`${request.method} ${host} timed out after ${timeoutMs} ms`, { code: 'timeout' });
        }
        const cause =
            err instanceof Error && err.cause instanceof Error ? (err.cause as NodeJS.ErrnoException) : undefined;
        const code = cause?.code ?? 'network';
        throw new TransientError(`${request.method} ${host} failed: ${code}`, { code: 'network' });
    }
    return { status: response.status, headers: response.headers, text, json: parseJson(text) };
}

function parseJson(text: string): unknown {
    if (text.trim() === '') return undefined;
    try {
        return JSON.parse(text) as unknown;
    } catch {
        return undefined;
    }
}

export function safeHost(url: string): string {
    try {
        return new URL(url).host;
    } catch {
        return '(invalid url)';
    }
}
