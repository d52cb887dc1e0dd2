import type { IncomingMessage } from 'node:http';

/** A WHATWG `Request` for `HttpRequest({ nativeRequest })`: method, full URL, every header, the body bytes. */
export function toNativeRequest(req: IncomingMessage, url: URL, body: Buffer): Request {
    const headers = new Headers();
    const raw = req.rawHeaders;
    for (let i = 0; i + 1 < raw.length; i += 2) {
        try {
            headers.append(raw[i] ?? '', raw[i + 1] ?? '');
        } catch {
            // A header the fetch API refuses (e.g. an invalid name) is dropped, not fatal.
        }
    }
    const method = (req.method ?? 'GET').toUpperCase();
    const hasBody = method !== 'GET' && method !== 'HEAD' && body.length > 0;
    return new Request(url, { method, headers, body: hasBody ? body : undefined });
}
