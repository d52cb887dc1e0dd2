import type { ServerResponse } from 'node:http';

import { type FakeServer, type RecordedRequest, sendJson, startFakeServer } from '../support/fakeServer';
import { handleMarketoDelete } from './fakeMarketoDelete';

/**
 * Marketo REST as documented (Adobe Marketo Engage developer docs; the request shapes also in Marketo's Swagger,
 * `swagger-mapi.json`, as generated into neclimdul/marketo-rest's `SyncLeadRequest` and `PushLeadToMarketoRequest`):
 *
 * - Authentication: `GET /identity/oauth/token?grant_type=client_credentials&client_id&client_secret` answers
 *   `expires_in` seconds; asked again while the token is valid it returns the same token with its remaining life, a
 *   new one only once it has expired; a bad client is `401 invalid_client`.
 * - Sync Leads `POST /rest/v1/leads.json`: `action` one of createOnly, updateOnly, createOrUpdate, createDuplicate;
 *   `input` of at most 300 records; per-record `status: created|updated|skipped` with `reasons[]` (1006 field not
 *   found, 1007 several leads match, 1003 invalid data for a value the field cannot hold).
 * - Push Lead to Marketo `POST /rest/v1/leads/push.json`: `programName` is required (an unknown program is 1013
 *   "Object not found"); `source`, `reason`, `lookupField` optional; the lead joins the program and a "Push Lead to
 *   Marketo" activity is logged (`pushes`).
 * - Field lengths from Describe Lead (`length` 255 for the standard strings used here).
 * - Error codes (Error Codes page): response-level errors in HTTP 200 bodies with `success: false` (601 token invalid,
 *   602 token expired, 614 invalid subscription, …); HTTP 413 over 1 MB.
 */
export interface FakeMarketo {
    server: FakeServer;
    leads: { id: number; fields: Record<string, unknown> }[];
    tokens: Map<string, 'valid' | 'expired'>;
    knownFields: Set<string>;
    programs: Set<string>;
    /** Program memberships: `<program>:<lead id>`. */
    members: Set<string>;
    /** "Push Lead to Marketo" activities logged: `{ leadId, programName, source, reason }`. */
    pushes: { leadId: number; programName: string; source?: string; reason?: string }[];
    /** The identity service's clock (epoch ms): tests move it to reach a token's last minutes. */
    now: () => number;
    override?: (req: RecordedRequest, res: ServerResponse) => boolean;
}

const maxRecords = 300;
const fieldLength = 255;
const tokenLifeSeconds = 3600;

export async function startFakeMarketo(clientId: string, clientSecret: string): Promise<FakeMarketo> {
    const state = {
        leads: [],
        tokens: new Map(),
        knownFields: new Set([
            'email',
            'firstName',
            'lastName',
            'phone',
            'company',
            'title',
            'country',
            'leadSource',
            'personKey',
        ]),
        programs: new Set(['Azure Marketplace Leads', 'Spring Webinar']),
        members: new Set<string>(),
        pushes: [],
        now: () => Date.now(),
    } as unknown as FakeMarketo;
    const expiry = new Map<string, number>();
    const requestId = () => `${Math.floor(Math.random() * 1e4)}#fake`;
    const failure = (res: ServerResponse, code: string, message: string) =>
        sendJson(res, 200, { requestId: requestId(), success: false, errors: [{ code, message }] });

    /** One record of a sync or push: created, updated or skipped with the reason Marketo gives. */
    const apply = (record: Record<string, unknown>, seq: number, lookupField: string, action: string) => {
        const unknown = Object.keys(record).find((k) => !state.knownFields.has(k));
        if (unknown)
            return { seq, status: 'skipped', reasons: [{ code: '1006', message: `Field '${unknown}' not found` }] };
        const tooLong = Object.entries(record).find(([, v]) => typeof v === 'string' && v.length > fieldLength);
        if (tooLong)
            return { seq, status: 'skipped', reasons: [{ code: '1003', message: `Invalid value for ${tooLong[0]}` }] };
        const matches = state.leads.filter((l) => l.fields[lookupField] === record[lookupField]);
        if (matches.length > 1)
            return {
                seq,
                status: 'skipped',
                reasons: [{ code: '1007', message: 'Multiple lead match lookup criteria' }],
            };
        if (action !== 'createOrUpdate')
            return { seq, status: 'skipped', reasons: [{ code: '1003', message: 'bad action' }] };
        const [existing] = matches;
        if (existing) {
            Object.assign(existing.fields, record);
            return { seq, id: existing.id, status: 'updated' };
        }
        const id = 318581 + state.leads.length;
        state.leads.push({ id, fields: { ...record } });
        return { seq, id, status: 'created' };
    };

    state.server = await startFakeServer((req, res) => {
        if (req.method === 'GET' && req.pathname === '/identity/oauth/token') {
            if (req.query.get('client_id') !== clientId || req.query.get('client_secret') !== clientSecret) {
                return sendJson(res, 401, { error: 'invalid_client', error_description: 'Bad client credentials' });
            }
            const now = state.now();
            const live = [...state.tokens.entries()].find(([t, s]) => s === 'valid' && (expiry.get(t) ?? 0) > now)?.[0];
            const token = live ?? `mkto-${state.tokens.size + 1}`;
            if (!live) {
                state.tokens.set(token, 'valid');
                expiry.set(token, now + tokenLifeSeconds * 1000);
            }
            const expiresIn = Math.floor((expiry.get(token)! - now) / 1000);
            return sendJson(res, 200, {
                access_token: token,
                token_type: 'bearer',
                expires_in: expiresIn,
                scope: 'api@x',
            });
        }
        if (state.override?.(req, res)) return;
        if (handleMarketoDelete(state, req, res, (t) => (expiry.get(t) ?? 0) <= state.now())) return;
        if (
            req.method === 'POST' &&
            (req.pathname === '/rest/v1/leads.json' || req.pathname === '/rest/v1/leads/push.json')
        ) {
            const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
            const status = token ? state.tokens.get(token) : undefined;
            const expired = token !== undefined && (status === 'expired' || (expiry.get(token) ?? 0) <= state.now());
            if (status === undefined || expired) {
                return failure(res, expired ? '602' : '601', expired ? 'Access token expired' : 'Access token invalid');
            }
            const body = (req.json ?? {}) as {
                action?: string;
                lookupField?: string;
                input?: Record<string, unknown>[];
                programName?: string;
                source?: string;
                reason?: string;
            };
            const input = body.input;
            if (!Array.isArray(input)) return failure(res, '1003', 'input is required');
            if (input.length > maxRecords) return failure(res, '1003', `at most ${maxRecords} records`);
            const lookupField = body.lookupField ?? 'email';
            if (req.pathname === '/rest/v1/leads.json') {
                const result = input.map((record, seq) =>
                    apply(record, seq, lookupField, body.action ?? 'createOrUpdate'),
                );
                return sendJson(res, 200, { requestId: requestId(), success: true, result });
            }
            if (!body.programName) return failure(res, '1003', 'programName is required');
            if (!state.programs.has(body.programName)) return failure(res, '1013', 'Object not found');
            const result = input.map((record, seq) => {
                const applied = apply(record, seq, lookupField, 'createOrUpdate');
                if (applied.status !== 'skipped') {
                    state.members.add(`${body.programName}:${applied.id}`);
                    state.pushes.push({
                        leadId: applied.id!,
                        programName: body.programName!,
                        source: body.source,
                        reason: body.reason,
                    });
                }
                return applied;
            });
            return sendJson(res, 200, { requestId: requestId(), success: true, result });
        }
        return sendJson(res, 404, {
            requestId: requestId(),
            success: false,
            errors: [{ code: '610', message: 'Requested resource not found' }],
        });
    });
    return state;
}
