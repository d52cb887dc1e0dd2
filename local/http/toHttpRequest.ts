import type { IncomingMessage } from 'node:http';

import type * as functions from '@azure/functions';

import { toNativeRequest } from './toNativeRequest';

type HttpRequestCtor = new (init: never) => functions.HttpRequest;

/**
 * The query as the Functions host sends it to the worker (`RpcHttp.query`, a map): a repeated key keeps its values
 * joined by commas, as ASP.NET's `StringValues.ToString()` joins them.
 */
function queryMap(url: URL): Record<string, string> {
    const map: Record<string, string> = {};
    for (const key of new Set(url.searchParams.keys())) map[key] = url.searchParams.getAll(key).join(',');
    return map;
}

/**
 * The app's `HttpRequest` for an incoming request. From `@azure/functions` 4.11 on the library takes a WHATWG
 * `Request` (`nativeRequest`), which keeps the URL's query exactly; 4.0-4.10 only take the worker's RPC form
 * (url, method, header and query maps, body bytes) and fail on the other with "Expected value to be neither null
 * nor undefined: url". Which form the app's copy takes is learned from the first request and remembered.
 */
export function createHttpRequestFactory(): (
    fx: typeof functions,
    req: IncomingMessage,
    url: URL,
    body: Buffer,
    params: Record<string, string>,
) => functions.HttpRequest {
    const nativeForm = new WeakMap<object, boolean>();
    return (fx, req, url, body, params) => {
        const Ctor = fx.HttpRequest as unknown as HttpRequestCtor;
        const nativeRequest = toNativeRequest(req, url, body);
        if (nativeForm.get(Ctor) !== false) {
            try {
                const request = new Ctor({ nativeRequest, params } as never);
                nativeForm.set(Ctor, true);
                return request;
            } catch (err) {
                if (nativeForm.get(Ctor) === true) throw err;
                nativeForm.set(Ctor, false);
            }
        }
        const hasBody = body.length > 0 && nativeRequest.method !== 'GET' && nativeRequest.method !== 'HEAD';
        return new Ctor({
            method: nativeRequest.method,
            url: url.href,
            headers: Object.fromEntries(nativeRequest.headers),
            query: queryMap(url),
            params,
            body: hasBody ? { bytes: new Uint8Array(body) } : undefined,
        } as never);
    };
}
