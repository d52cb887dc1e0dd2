/**
 * An absolute `http:` or `https:` URL the WHATWG URL parser (what `fetch` uses) accepts, so a value that passes here
 * is one every call can be made to (`http://[::1`, `not-a-url` and `https://` do not).
 */
export function isHttpUrl(value: string): boolean {
    try {
        const { protocol } = new URL(value);
        return protocol === 'https:' || protocol === 'http:';
    } catch {
        return false;
    }
}
