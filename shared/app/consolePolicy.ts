/**
 * What the browser may do with the console's page. Scripts, styles, fonts and images only from the app itself (no
 * inline script or style attribute is honoured, so a lead field that somehow became markup could not run), requests
 * only to the app's own API, no framing (clickjacking), no plugins, no `<base>` rewriting, forms only to itself.
 */
export const contentSecurityPolicy = [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
].join('; ');

export const consoleHeaders: Record<string, string> = {
    'Content-Security-Policy': contentSecurityPolicy,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
};
