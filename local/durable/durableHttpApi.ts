import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

import { decodePathSegment } from '../http/httpErrors';
import { readBody } from '../http/readBody';
import { managementUrls, RPC_KEY_SEGMENT, RPC_PATH, WEBHOOK_PATH } from './clientBinding';
import type { EntityEngine } from './EntityEngine';
import type { OrchestrationEngine } from './OrchestrationEngine';
import { entitySchedulerId, isTerminal } from './records';
import { filterFromQuery, matchesFilter, statusView } from './statusView';

const PAGE_SIZE = 100;
const BODY_LIMITS = { maxBytes: 16 * 1024 * 1024, setting: 'the durable API limit', idleMs: 15_000 };
/** Host names a request may carry: anything else is a foreign page's request made to look local (DNS rebinding). */
const LOOPBACK_HOST = /^(127(?:\.\d{1,3}){3}|localhost|\[::1\])(:\d{1,5})?$/i;

export interface DurableApiContext {
    orchestrations: OrchestrationEngine;
    entities: EntityEngine;
    hubName: string;
    baseUrl: string;
    /** The durable extension's system key: every route needs it, as in Azure. */
    systemKey: string;
}

function sameKey(given: string | undefined, key: string): boolean {
    if (given === undefined) return false;
    const a = Buffer.from(given);
    const b = Buffer.from(key);
    return a.length === b.length && timingSafeEqual(a, b);
}

function send(res: ServerResponse, reply: Reply): void {
    const text = reply.body === undefined ? '' : JSON.stringify(reply.body);
    res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', ...reply.headers });
    res.end(text);
}

interface Reply {
    status: number;
    body?: unknown;
    headers?: Record<string, string>;
}

/**
 * The HTTP API of the Durable Functions extension, as `DurableClient` (rpcBaseUrl `/durabletask/key/<key>/`) and the
 * public webhooks (`/runtime/webhooks/durabletask/`) call it. Returns false for paths that are not durable ones.
 * Every route needs the system key (`?code=`, the `x-functions-key` header, or the client's path segment) and a
 * loopback Host header.
 */
export async function handleDurableHttp(
    api: DurableApiContext,
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
): Promise<boolean> {
    const prefix = [RPC_PATH, WEBHOOK_PATH].find((p) => url.pathname === p || url.pathname.startsWith(`${p}/`));
    if (!prefix) return false;
    const host = req.headers.host;
    if (host !== undefined && !LOOPBACK_HOST.test(host)) {
        send(res, {
            status: 403,
            body: { error: 'the durable API answers only requests addressed to a loopback host' },
        });
        return true;
    }
    let parts = url.pathname
        .slice(prefix.length)
        .split('/')
        .filter((p, i) => i > 0 || p !== '')
        .map(decodePathSegment);
    let given = url.searchParams.get('code') ?? undefined;
    const header = req.headers['x-functions-key'];
    if (given === undefined && typeof header === 'string') given = header;
    if (prefix === RPC_PATH && parts[0] === RPC_KEY_SEGMENT && parts.length >= 2) {
        given = parts[1];
        parts = parts.slice(2);
    }
    if (!sameKey(given, api.systemKey)) {
        const why = given === undefined ? 'no key was given' : 'the key is wrong';
        const error = `Unauthorized: ${why}. The durable API needs the durable extension's system key as ?code= or the x-functions-key header (the URLs createCheckStatusResponse hands out carry it).`;
        send(res, { status: 401, body: { error } });
        return true;
    }
    const body = (await readBody(req, BODY_LIMITS)).toString('utf8');
    // DurableClient pages with a request header; a query parameter is accepted too (browsers, curl).
    const continuation = req.headers['x-ms-continuation-token'];
    if (typeof continuation === 'string' && continuation) url.searchParams.set('continuationToken', continuation);
    send(res, await route(api, req.method ?? 'GET', parts, url.searchParams, body, prefix === WEBHOOK_PATH));
    return true;
}

async function route(
    api: DurableApiContext,
    method: string,
    parts: string[],
    query: URLSearchParams,
    body: string,
    webhook: boolean,
): Promise<Reply> {
    const [collection, id, action, extra] = parts;
    const engine = api.orchestrations;
    if (collection === 'orchestrators' && method === 'POST' && id) return start(api, id, action, query, body, webhook);
    if (collection === 'entities' && id && action !== undefined) {
        if (method === 'POST') {
            const request = {
                id: randomUUID(),
                entity: entitySchedulerId(id, action),
                op: query.get('op') ?? '',
                input: inputText(body),
                signal: true,
            };
            await api.entities.enqueue(request);
            return { status: 202 };
        }
        if (method === 'GET') {
            const found = api.entities.read(id, action);
            return found.exists
                ? { status: 200, body: found.state }
                : { status: 404, body: { error: 'entity not found' } };
        }
    }
    if (collection !== 'instances') return { status: 404, body: { error: 'unknown durable API path' } };
    if (!id) {
        if (method === 'GET') return list(api, query);
        if (method === 'DELETE') return purgeBy(api, query);
        return { status: 405, body: { error: `${method} is not a method of the instances collection` } };
    }
    const reason = query.get('reason') ?? '';
    if (method === 'GET' && !action) return getStatus(api, id, query);
    if (method === 'DELETE' && !action)
        return (await engine.purge(id)) ? { status: 200, body: { instancesDeleted: 1 } } : { status: 404 };
    if (method === 'POST' && action === 'raiseEvent' && extra)
        return { status: await engine.raiseEvent(id, extra, inputText(body)) };
    if (method === 'POST' && action === 'terminate') return { status: await engine.terminate(id, reason) };
    if (method === 'POST' && (action === 'suspend' || action === 'resume'))
        return { status: await engine.suspend(id, action === 'suspend') };
    if (method === 'POST' && action === 'rewind') {
        const result = await engine.rewind(id);
        return { status: result.status, body: result.reason ? { error: result.reason } : undefined };
    }
    if (method === 'POST' && action === 'restart') {
        return { status: 501, body: { error: 'restart is not supported by the local host' } };
    }
    return { status: 404, body: { error: 'unknown durable API path' } };
}

async function start(
    api: DurableApiContext,
    name: string,
    givenId: string | undefined,
    query: URLSearchParams,
    body: string,
    webhook: boolean,
): Promise<Reply> {
    const instanceId = givenId || randomUUID().replace(/-/g, '');
    const text = inputText(body);
    let input: unknown = null;
    try {
        input = text === undefined ? null : JSON.parse(text);
    } catch {
        return { status: 400, body: { error: 'the orchestration input is not JSON' } };
    }
    const version = query.get('version') ?? undefined;
    const result = await api.orchestrations.start(name, instanceId, input, undefined, version);
    if (result === 'conflict')
        return { status: 409, body: { error: `an instance with id '${instanceId}' is already running` } };
    if (result === 'unknownOrchestrator')
        return { status: 400, body: { error: `the function '${name}' is not an orchestrator` } };
    const links = managementUrls(api.baseUrl, api.hubName, instanceId, api.systemKey);
    const timeout = Number(query.get('timeout') ?? 0);
    if (webhook && timeout > 0) {
        const record = await waitForCompletion(api, instanceId, timeout * 1000);
        if (record) return { status: 200, body: record.output ?? null };
    }
    return { status: 202, body: links, headers: { location: links.statusQueryGetUri ?? '', 'retry-after': '10' } };
}

function getStatus(api: DurableApiContext, id: string, query: URLSearchParams): Reply {
    const record = api.orchestrations.instances.get(id);
    if (!record) return { status: 404, body: { error: 'instance not found' } };
    const flag = (name: string): boolean | undefined => (query.has(name) ? query.get(name) === 'true' : undefined);
    const body = statusView(record, {
        showHistory: flag('showHistory'),
        showHistoryOutput: flag('showHistoryOutput'),
        showInput: flag('showInput'),
    });
    if (isTerminal(record.runtimeStatus)) return { status: 200, body };
    const location = managementUrls(api.baseUrl, api.hubName, id, api.systemKey).statusQueryGetUri ?? '';
    return { status: 202, body, headers: { location, 'retry-after': '10' } };
}

function list(api: DurableApiContext, query: URLSearchParams): Reply {
    const filter = filterFromQuery(query);
    const all = [...api.orchestrations.instances.values()].filter((record) => matchesFilter(record, filter));
    all.sort((a, b) => a.createdTime.localeCompare(b.createdTime) || a.instanceId.localeCompare(b.instanceId));
    const top = Math.max(1, Number(query.get('top') ?? PAGE_SIZE) || PAGE_SIZE);
    const token = query.get('continuationToken');
    const offset = token ? Number(Buffer.from(token, 'base64').toString('utf8')) || 0 : 0;
    const page = all
        .slice(offset, offset + top)
        .map((record) => statusView(record, { showInput: query.get('showInput') !== 'false' }));
    const headers: Record<string, string> = {};
    if (offset + top < all.length)
        headers['x-ms-continuation-token'] = Buffer.from(String(offset + top)).toString('base64');
    return { status: 200, body: page, headers };
}

async function purgeBy(api: DurableApiContext, query: URLSearchParams): Promise<Reply> {
    const filter = filterFromQuery(query);
    const victims = [...api.orchestrations.instances.values()].filter(
        (record) => isTerminal(record.runtimeStatus) && matchesFilter(record, filter),
    );
    for (const record of victims) await api.orchestrations.purge(record.instanceId);
    return victims.length ? { status: 200, body: { instancesDeleted: victims.length } } : { status: 404 };
}

async function waitForCompletion(api: DurableApiContext, id: string, timeoutMs: number) {
    const until = Date.now() + timeoutMs;
    for (;;) {
        const record = api.orchestrations.instances.get(id);
        if (!record || isTerminal(record.runtimeStatus)) return record;
        if (Date.now() >= until) return undefined;
        await new Promise((resolve) => setTimeout(resolve, 50));
    }
}

/** The client sends `JSON.stringify(input)`, and `""` (or nothing) when there is no input. */
function inputText(body: string): string | undefined {
    return body === '' || body === '""' ? undefined : body;
}
