import type { OperationsAccess } from '../config';
import { operationsRoles } from '../names';
import { errorResponse, type HttpAnswer } from './errorResponse';

export type OperationsRole = 'read' | 'operate';

/** Who is calling, as far as the API is concerned. `name` is shown to that caller only, never logged. */
export interface Caller {
    mode: OperationsAccess['mode'];
    roles: OperationsRole[];
    name?: string;
}

/** The part of a request the checks read (structural, so tests need no SDK objects). */
export interface RequestLike {
    method: string;
    url: string;
    headers: { get(name: string): string | null };
}

/** A request header, or null (a hand-built request in a test may carry no headers at all). */
const header = (request: RequestLike, name: string): string | null =>
    (request.headers as RequestLike['headers'] | undefined)?.get(name) ?? null;

/** Where the console sends a caller who is not signed in (App Service authentication's Entra ID login). */
export const signInPath = '/.auth/login/aad';

const TENANT_CLAIMS = ['http://schemas.microsoft.com/identity/claims/tenantid', 'tid'];
const NAME_CLAIMS = ['name', 'preferred_username'];
/** Longer than any principal App Service injects; a longer header is refused unread. */
const MAX_PRINCIPAL_CHARS = 32_768;

interface Principal {
    claims: { typ: string; val: string }[];
    roleType: string;
}

/**
 * `X-MS-CLIENT-PRINCIPAL`: base64 JSON `{ auth_typ, claims: [{ typ, val }], name_typ, role_typ }`. App Service sets
 * it after signing the caller in and strips it from requests ("External requests aren't allowed to set these
 * headers", learn.microsoft.com, app-service/configure-authentication-user-identities).
 */
function readPrincipal(header: string): Principal | undefined {
    if (header.length > MAX_PRINCIPAL_CHARS) return undefined;
    try {
        const parsed = JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as Record<string, unknown>;
        if (!Array.isArray(parsed.claims)) return undefined;
        const claims = parsed.claims.flatMap((c: unknown) => {
            const { typ, val } = (typeof c === 'object' && c !== null ? c : {}) as Record<string, unknown>;
            return typeof typ === 'string' && typeof val === 'string' ? [{ typ, val }] : [];
        });
        return { claims, roleType: typeof parsed.role_typ === 'string' ? parsed.role_typ : 'roles' };
    } catch {
        return undefined;
    }
}

const claim = (p: Principal, types: string[]) => p.claims.find((c) => types.includes(c.typ))?.val;

const unauthenticated = (message: string): HttpAnswer =>
    errorResponse(401, 'unauthenticated', message, { signIn: signInPath });

const forbidden = (message: string): HttpAnswer => errorResponse(403, 'forbidden', message);

/**
 * Decides whether the caller may do what needs `role`. With a function key the host has checked the key before the
 * app runs, and the key grants everything. With Entra ID the app checks, for every request: that App Service
 * authentication is on (else the principal header could be anyone's), that a principal was injected (401), that it
 * belongs to the publisher's tenant and to this app registration (403), and that it holds the role (403).
 */
export function authorizeCaller(
    request: RequestLike,
    access: OperationsAccess,
    role: OperationsRole,
): { caller: Caller } | { answer: HttpAnswer } {
    if (access.mode === 'function-key') return { caller: { mode: access.mode, roles: ['read', 'operate'] } };
    if (!access.platformAuthEnabled) {
        return {
            answer: errorResponse(
                503,
                'not-configured',
                'OPERATIONS_AUTH is entra but App Service authentication is not enabled for this app.',
            ),
        };
    }
    const injected = header(request, 'x-ms-client-principal');
    if (injected === null || injected === '') return { answer: unauthenticated('Sign in to use the lead console.') };
    const principal = readPrincipal(injected);
    if (principal === undefined) return { answer: unauthenticated('The sign-in could not be read; sign in again.') };
    if (claim(principal, TENANT_CLAIMS)?.toLowerCase() !== access.tenantId.toLowerCase()) {
        return { answer: forbidden("This account is not in the publisher's tenant.") };
    }
    const audience = claim(principal, ['aud']);
    if (audience !== undefined && ![access.clientId, `api://${access.clientId}`].includes(audience)) {
        return { answer: forbidden('This sign-in was made for another application.') };
    }
    const granted = new Set(principal.claims.filter((c) => c.typ === principal.roleType || c.typ === 'roles'));
    const values = new Set([...granted].map((c) => c.val));
    const roles: OperationsRole[] = values.has(operationsRoles.operate)
        ? ['read', 'operate']
        : values.has(operationsRoles.read)
          ? ['read']
          : [];
    if (!roles.includes(role)) {
        const needed = role === 'operate' ? operationsRoles.operate : operationsRoles.read;
        return { answer: forbidden(`This needs the ${needed} role of the lead console.`) };
    }
    return { caller: { mode: access.mode, roles, name: claim(principal, NAME_CLAIMS) } };
}

/**
 * A state-changing request from another site is refused (403), so a page elsewhere cannot make a signed-in
 * browser redeliver or replay: browsers send `Sec-Fetch-Site` and `Origin` on such requests and a page cannot forge
 * them (OWASP CSRF cheat sheet, "Verifying Origin With Standard Headers" and "Fetch Metadata"). Tools that send
 * neither (curl, automation with a key or token) are not browsers and are let through.
 */
export function crossSiteRefusal(request: RequestLike): HttpAnswer | undefined {
    const method = ((request.method as string | undefined) ?? 'GET').toUpperCase();
    if (method === 'GET' || method === 'HEAD') return undefined;
    const site = header(request, 'sec-fetch-site');
    if (site !== null && site !== 'same-origin' && site !== 'none') {
        return forbidden('A request from another site may not change anything.');
    }
    const origin = header(request, 'origin');
    if (origin !== null) {
        let host: string | undefined;
        try {
            host = new URL(origin).host;
        } catch {
            host = undefined;
        }
        const own = header(request, 'x-forwarded-host') ?? new URL(request.url).host;
        if (host === undefined || host.toLowerCase() !== own.toLowerCase()) {
            return forbidden('A request from another site may not change anything.');
        }
    }
    return undefined;
}
