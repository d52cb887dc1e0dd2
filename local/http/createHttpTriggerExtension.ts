import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

import type { HostContext, HostExtension, Registration } from '../contracts';
import { BodyTooLargeError, readBody } from './readBody';
import { compareRoutes, compileRoute, type RouteTemplate } from './routeTemplate';
import { toNativeRequest } from './toNativeRequest';
import { writeHttpResponse } from './writeHttpResponse';

/** The real host's default `maxRequestBodySize` (100 MB). */
const DEFAULT_MAX_BODY_BYTES = 104_857_600;

interface HttpRoute {
    registration: Registration;
    route: RouteTemplate;
    methods: Set<string> | undefined;
    authLevel: string;
}

function keyMatches(given: string | undefined, key: string): boolean {
    if (given === undefined) return false;
    const a = Buffer.from(given);
    const b = Buffer.from(key);
    return a.length === b.length && timingSafeEqual(a, b);
}

function routePrefix(hostJson: Record<string, unknown>): string {
    const http = (hostJson.extensions as { http?: { routePrefix?: unknown } } | undefined)?.http;
    const prefix = typeof http?.routePrefix === 'string' ? http.routePrefix : 'api';
    return prefix.replace(/^\/+|\/+$/g, '');
}

/**
 * HTTP triggers on `/<routePrefix>/<route>`: route templates, methods, `authLevel` (function and admin need the key
 * of setting `LOCAL_FUNCTION_KEY` as `?code=` or `x-functions-key`), a body limit (`LOCAL_HTTP_MAX_BODY_BYTES`).
 */
export function createHttpTriggerExtension(): HostExtension {
    const routes: HttpRoute[] = [];
    let host: HostContext | undefined;
    let prefix = 'api';
    let functionKey = '';
    let maxBody = DEFAULT_MAX_BODY_BYTES;
    let stopping = false;

    const relativePath = (pathname: string): string | undefined => {
        if (prefix === '') return pathname.replace(/^\/+/, '');
        const lower = pathname.toLowerCase();
        const base = `/${prefix.toLowerCase()}`;
        if (lower === base) return '';
        return lower.startsWith(`${base}/`) ? pathname.slice(base.length + 1) : undefined;
    };

    const inFlight = new Set<Promise<unknown>>();
    const track = <T>(work: Promise<T>): Promise<T> => {
        inFlight.add(work);
        void work.finally(() => inFlight.delete(work)).catch(() => undefined);
        return work;
    };

    const serve = async (ctx: HostContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> => {
        const path = relativePath(url.pathname);
        if (path === undefined) return false;
        if (stopping) {
            res.writeHead(503, { 'retry-after': '5', 'content-length': 0 }).end();
            return true;
        }
        const method = (req.method ?? 'GET').toUpperCase();
        let params: Record<string, string> | undefined;
        const found = routes.find(
            (r) => (params = r.route.match(path)) !== undefined && (!r.methods || r.methods.has(method)),
        );
        if (!found || !params) return false;
        if (found.authLevel !== 'anonymous') {
            const given = url.searchParams.get('code') ?? (req.headers['x-functions-key'] as string | undefined);
            if (!keyMatches(given ?? undefined, functionKey)) {
                res.writeHead(401, { 'content-length': 0 }).end();
                return true;
            }
        }
        let body: Buffer;
        try {
            body = await readBody(req, maxBody);
        } catch (err) {
            if (!(err instanceof BodyTooLargeError)) throw err;
            // Node discards (reads without keeping) the rest of the upload once this reply is sent, so the client
            // sees the 413 instead of a reset connection, and memory never holds more than the limit.
            res.writeHead(413, { 'content-length': 0 }).end();
            return true;
        }
        const fx = ctx.functionsModule();
        const request = new fx.HttpRequest({ nativeRequest: toNativeRequest(req, url, body), params } as never);
        let result: unknown;
        try {
            result = (await track(ctx.invoke(found.registration, request))).result;
            await writeHttpResponse(fx, result, res);
        } catch {
            // Like the real host: a failed invocation is a bare 500; the error is in the host log, not the response.
            if (!res.headersSent) res.writeHead(500, { 'content-length': 0 }).end();
            else res.destroy();
        }
        return true;
    };

    return {
        name: 'http',
        claims: (registration) => registration.trigger.type.toLowerCase() === 'httptrigger',
        register: (registration) => {
            const trigger = registration.trigger;
            const methods = Array.isArray(trigger.methods) && trigger.methods.length > 0 ? trigger.methods : undefined;
            routes.push({
                registration,
                route: compileRoute(typeof trigger.route === 'string' ? trigger.route : registration.name),
                methods: methods && new Set(methods.map((m) => String(m).toUpperCase())),
                authLevel: typeof trigger.authLevel === 'string' ? trigger.authLevel.toLowerCase() : 'function',
            });
            routes.sort((a, b) => compareRoutes(a.route, b.route));
        },
        start: (context) => {
            host = context;
            stopping = false;
            prefix = routePrefix(context.hostJson);
            functionKey = context.setting('LOCAL_FUNCTION_KEY') || randomBytes(24).toString('base64url');
            const limit = Number(context.setting('LOCAL_HTTP_MAX_BODY_BYTES'));
            maxBody = Number.isFinite(limit) && limit > 0 ? limit : DEFAULT_MAX_BODY_BYTES;
            return Promise.resolve();
        },
        handleHttp: (req, res, url) => (host ? serve(host, req, res, url) : Promise.resolve(false)),
        describe: (registration) => {
            const r = routes.find((x) => x.registration === registration);
            const methods = r?.methods ? [...r.methods].join(',') : 'all methods';
            const path = [prefix, r?.route.template.replace(/^\/+/, '')].filter((s) => s).join('/');
            return `${registration.name}: [${methods}] ${host?.baseUrl ?? ''}/${path} (authLevel ${r?.authLevel ?? '?'})`;
        },
        readyInfo: () => ({ functionKey }),
        // Requests already running finish (bounded) before the host moves on to appTerminate.
        stop: async () => {
            stopping = true;
            await Promise.race([Promise.allSettled([...inFlight]), sleep(30_000, undefined, { ref: false })]);
        },
    };
}
