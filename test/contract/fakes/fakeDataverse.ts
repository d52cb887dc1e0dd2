import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';

import { type FakeServer, type RecordedRequest, sendJson, startFakeServer } from '../support/fakeServer';
import { createFakeEntra, type FakeEntra } from './fakeEntra';

/**
 * Dataverse Web API v9.2 as documented for `leads`: bearer tokens from Entra; upsert by alternate key (`PATCH
 * leads(key='v')`, 201 created / 200 updated with `Prefer: return=representation`); `$filter` queries; update by id
 * with `If-Match: *` (404 when gone); create with `POST` (201 + `OData-EntityId`); OData error bodies; 401 for a
 * rejected token.
 */
export interface FakeDataverse {
    server: FakeServer;
    entra: FakeEntra;
    leads: Map<string, Record<string, unknown>>;
    revoked: Set<string>;
    override?: (req: RecordedRequest, res: ServerResponse) => boolean;
}

const api = '/api/data/v9.2';

/** With `tls`, Entra is served at the root over HTTPS, so a real `fetch` (a child process) can use it as authority. */
export async function startFakeDataverse(tls?: { key: string; cert: string }): Promise<FakeDataverse> {
    const entra = createFakeEntra('tenant-1', 'app-1', 'secret-1');
    const state = {
        entra,
        leads: new Map<string, Record<string, unknown>>(),
        revoked: new Set<string>(),
    } as FakeDataverse;
    state.server = await startFakeServer((req, res) => {
        if (entra.handle(req, res)) return;
        if (state.override?.(req, res)) return;
        const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
        if (!token || !entra.issued.includes(token) || state.revoked.has(token)) {
            res.writeHead(401, { 'www-authenticate': 'Bearer authorization_uri=https://login.fake.test/tenant-1' });
            return void res.end();
        }
        const { method, pathname } = req;
        if (method === 'GET' && pathname === `${api}/WhoAmI`) {
            return sendJson(res, 200, { UserId: 'u-1', BusinessUnitId: 'bu-1', OrganizationId: 'o-1' });
        }
        const byKey = /^\/api\/data\/v9\.2\/leads\((\w+)='((?:[^']|'')*)'\)$/.exec(pathname);
        if (method === 'PATCH' && byKey) {
            const [, column, raw] = byKey;
            const value = raw!.replace(/''/g, "'");
            const found = [...state.leads.entries()].find(([, l]) => l[column!] === value);
            const id = found?.[0] ?? randomUUID();
            state.leads.set(id, { ...found?.[1], ...req.json, [column!]: value, leadid: id });
            if (!req.headers.prefer?.includes('return=representation')) {
                res.writeHead(204, { 'odata-entityid': `${state.server.url}${api}/leads(${id})` });
                return void res.end();
            }
            return sendJson(res, found ? 200 : 201, { leadid: id });
        }
        const byId = /^\/api\/data\/v9\.2\/leads\(([0-9a-f-]{36})\)$/.exec(pathname);
        if (method === 'PATCH' && byId) {
            const lead = state.leads.get(byId[1]!);
            if (!lead) return sendJson(res, 404, { error: { code: '0x80040217', message: 'lead Does Not Exist' } });
            Object.assign(lead, req.json);
            res.writeHead(204, { 'odata-entityid': `${state.server.url}${api}/leads(${byId[1]})` });
            return void res.end();
        }
        if (method === 'GET' && pathname === `${api}/leads`) {
            const filter = req.query.get('$filter') ?? '';
            const clauses = [...filter.matchAll(/(\w+) eq '((?:[^']|'')*)'/g)].map((m) => [
                m[1]!,
                m[2]!.replace(/''/g, "'"),
            ]);
            const value = [...state.leads.values()]
                .filter((l) => clauses.every(([col, v]) => l[col!] === v))
                .slice(0, Number(req.query.get('$top') ?? 5000))
                .map((l) => ({ leadid: l.leadid }));
            return sendJson(res, 200, { value });
        }
        if (method === 'POST' && pathname === `${api}/leads`) {
            const id = randomUUID();
            state.leads.set(id, { ...req.json, leadid: id });
            return sendJson(res, 201, { leadid: id }, { 'odata-entityid': `${state.server.url}${api}/leads(${id})` });
        }
        return sendJson(res, 404, { error: { code: '0x8006088a', message: 'Resource not found for the segment' } });
    }, tls);
    return state;
}
