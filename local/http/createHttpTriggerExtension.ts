import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

import type { HostContext, HostExtension, Registration } from '../contracts';
import { type BodyLimits, readBody } from './readBody';
import { compareRoutes, compileRoute, type RouteTemplate } from './routeTemplate';
import { createHttpRequestFactory } from './toHttpRequest';
import { writeHttpResponse } from './writeHttpResponse';

/** Azure's app setting for the largest request body, and its default (104857600 bytes, 100 MB). */
export const BODY_LIMIT_SETTING = 'FUNCTIONS_REQUEST_BODY_SIZE_LIMIT';
const DEFAULT_MAX_BODY_BYTES = 104_857_600;
/** How long a request body may send nothing before it is refused with 408 (a `Content-Length` that lies). */
export const BODY_IDLE_SETTING = 'LOCAL_HTTP_BODY_IDLE_SECONDS';
const DEFAULT_BODY_IDLE_SECONDS = 15;
export const FUNCTION_KEY_SETTING = 'LOCAL_FUNCTION_KEY';

interface HttpRoute {
    registration: Registration;
    route: RouteTemplate;
    methods: Set<string> | undefined;
    authLevel: string;
}

function keyMatches(given: string | null | undefined, key: string): boolean {
    if (given === undefined || given === null) return false;
    const a = Buffer.from(given);
    const b = Buffer.from(key);
    return a.length === b.length && timingSafeEqual(a, b);
}

/** 401 with a body and a log line that say which key the function expects, never the key itself. */
function refuseKey(
    ctx: HostContext,
    res: ServerResponse,
    method: string,
    url: URL,
    route: HttpRoute,
    why: string,
): void {
    const expected = `the function key (setting ${FUNCTION_KEY_SETTING}) as ?code= or the x-functions-key header`;
    ctx.logger.info(
        `401 ${method} ${url.pathname}: ${why}; '${route.registration.name}' (authLevel ${route.authLevel}) needs ${expected}`,
    );
    const body = JSON.stringify({
        error: `Unauthorized: ${why}. This function (authLevel ${route.authLevel}) needs ${expected}.`,
    });
    res.writeHead(401, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(body),
    }).end(body);
}

function routePrefix(hostJson: Record<string, unknown>): string {
    const http = (hostJson.extensions as { http?: { routePrefix?: unknown } } | undefined)?.http;
    const prefix = typeof http?.routePrefix === 'string' ? http.routePrefix : 'api';
    return prefix.replace(/^\/+|\/+$/g, '');
}

function positiveSetting(context: HostContext, name: string, fallback: number): number {
    const value = Number(context.setting(name));
    return Number.isFinite(value) && value > 0 ? value : fallback;
}

/**
 * HTTP triggers on `/<routePrefix>/<route>`: route templates, methods, a body limit (`FUNCTIONS_REQUEST_BODY_SIZE_LIMIT`,
 * as in Azure) and `authLevel`. Core Tools turns authorization off locally; this host checks keys when the app sets
 * `LOCAL_FUNCTION_KEY` (function and admin levels then need it as `?code=` or `x-functions-key`), and otherwise
 * runs every function as Core Tools does, anonymously.
 */
export function createHttpTriggerExtension(): HostExtension {
    const routes: HttpRoute[] = [];
    let host: HostContext | undefined;
    let prefix = 'api';
    let functionKey: string | undefined;
    let limits: BodyLimits = { maxBytes: DEFAULT_MAX_BODY_BYTES, setting: BODY_LIMIT_SETTING, idleMs: 15_000 };
    let stopping = false;
    const toHttpRequest = createHttpRequestFactory();

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
        if (found.authLevel !== 'anonymous' && functionKey !== undefined) {
            const header = req.headers['x-functions-key'];
            const given = url.searchParams.get('code') ?? (typeof header === 'string' ? header : undefined);
            if (!keyMatches(given, functionKey)) {
                refuseKey(ctx, res, method, url, found, given === undefined ? 'no key was given' : 'the key is wrong');
                return true;
            }
        }
        // Past the limit, or stalled: the server answers (413, 408) and closes the connection, unread.
        const body = await readBody(req, limits);
        const fx = ctx.functionsModule();
        const request = toHttpRequest(fx, req, url, body, params);
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
            functionKey = context.setting(FUNCTION_KEY_SETTING) || undefined;
            limits = {
                maxBytes: Math.floor(positiveSetting(context, BODY_LIMIT_SETTING, DEFAULT_MAX_BODY_BYTES)),
                setting: BODY_LIMIT_SETTING,
                idleMs: positiveSetting(context, BODY_IDLE_SETTING, DEFAULT_BODY_IDLE_SECONDS) * 1000,
            };
            if (functionKey === undefined && routes.some((r) => r.authLevel !== 'anonymous'))
                context.logger.info(
                    `Authorization is off, as in Core Tools: function- and admin-level HTTP functions run without a key (set ${FUNCTION_KEY_SETTING} to require one)`,
                );
            return Promise.resolve();
        },
        handleHttp: (req, res, url) => (host ? serve(host, req, res, url) : Promise.resolve(false)),
        describe: (registration) => {
            const r = routes.find((x) => x.registration === registration);
            const methods = r?.methods ? [...r.methods].join(',') : 'all methods';
            const path = [prefix, r?.route.template.replace(/^\/+/, '')].filter((s) => s).join('/');
            return `${registration.name}: [${methods}] ${host?.baseUrl ?? ''}/${path} (authLevel ${r?.authLevel ?? '?'})`;
        },
        readyInfo: () => (functionKey === undefined ? {} : { functionKey }),
        // Requests already running finish (bounded) before the host moves on to appTerminate.
        stop: async () => {
            stopping = true;
            await Promise.race([Promise.allSettled([...inFlight]), sleep(30_000, undefined, { ref: false })]);
        },
    };
}
