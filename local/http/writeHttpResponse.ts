import type { ServerResponse } from 'node:http';

import type * as functions from '@azure/functions';

function serializeCookie(cookie: functions.Cookie): string {
    const parts = [`${cookie.name}=${cookie.value}`];
    if (cookie.domain) parts.push(`Domain=${cookie.domain}`);
    if (cookie.path) parts.push(`Path=${cookie.path}`);
    if (cookie.expires !== undefined) {
        const expires = cookie.expires instanceof Date ? cookie.expires : new Date(cookie.expires);
        parts.push(`Expires=${expires.toUTCString()}`);
    }
    if (cookie.maxAge !== undefined) parts.push(`Max-Age=${cookie.maxAge}`);
    if (cookie.secure) parts.push('Secure');
    if (cookie.httpOnly) parts.push('HttpOnly');
    if (cookie.sameSite) parts.push(`SameSite=${cookie.sameSite}`);
    return parts.join('; ');
}

/**
 * Writes a handler's HTTP result the way the host does: an `HttpResponse` or an `HttpResponseInit` (normalised
 * through the app's own `HttpResponse`), with status, headers, cookies and the body bytes unchanged. No result means
 * 204, a non-object result is the same error the worker raises.
 */
export async function writeHttpResponse(fx: typeof functions, result: unknown, res: ServerResponse): Promise<void> {
    if (result === undefined || result === null) {
        res.writeHead(204).end();
        return;
    }
    if (typeof result !== 'object') {
        throw new TypeError(
            'The HTTP response must be an object with optional properties "body", "status", "headers", and "cookies".',
        );
    }
    const response = result instanceof fx.HttpResponse ? result : new fx.HttpResponse(result);
    const body = Buffer.from(await response.arrayBuffer());
    const headers: [string, string][] = [];
    for (const [name, value] of response.headers) {
        if (name.toLowerCase() !== 'set-cookie') headers.push([name, value]);
    }
    const setCookies = [...response.headers.getSetCookie(), ...response.cookies.map(serializeCookie)];
    res.statusCode = response.status;
    for (const [name, value] of headers) res.setHeader(name, value);
    if (setCookies.length > 0) res.setHeader('set-cookie', setCookies);
    const bodyless =
        response.status === 204 || response.status === 304 || (response.status >= 100 && response.status < 200);
    if (bodyless) {
        res.end();
        return;
    }
    res.setHeader('content-length', body.length);
    res.end(body);
}
