import type { ServerResponse } from 'node:http';

import { type FakeServer, type RecordedRequest, sendJson, startFakeServer } from '../support/fakeServer';

/**
 * Marketo REST as documented: `GET /identity/oauth/token?grant_type=client_credentials&client_id&client_secret`
 * (`expires_in` seconds, 401 `invalid_client`); `POST /rest/v1/leads.json` `createOrUpdate` by `lookupField`
 * answering HTTP 200 with `success:false` + `errors[]` (601 invalid token, 602 expired) or per-record
 * `status: created|updated|skipped` with `reasons[]` (1006 field not found, 1007 several leads match).
 */
export interface FakeMarketo {
    server: FakeServer;
    leads: { id: number; fields: Record<string, unknown> }[];
    tokens: Map<string, 'valid' | 'expired'>;
    knownFields: Set<string>;
    override?: (req: RecordedRequest, res: ServerResponse) => boolean;
}

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
    } as unknown as FakeMarketo;
    const requestId = () => `${Math.floor(Math.random() * 1e4)}#fake`;
    state.server = await startFakeServer((req, res) => {
        if (req.method === 'GET' && req.pathname === '/identity/oauth/token') {
            if (req.query.get('client_id') !== clientId || req.query.get('client_secret') !== clientSecret) {
                return sendJson(res, 401, { error: 'invalid_client', error_description: 'Bad client credentials' });
            }
            const token = `mkto-${state.tokens.size + 1}`;
            state.tokens.set(token, 'valid');
            return sendJson(res, 200, { access_token: token, token_type: 'bearer', expires_in: 3599, scope: 'api@x' });
        }
        if (state.override?.(req, res)) return;
        if (req.method === 'POST' && req.pathname === '/rest/v1/leads.json') {
            const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
            const status = token ? state.tokens.get(token) : undefined;
            if (status !== 'valid') {
                const code = status === 'expired' ? '602' : '601';
                return sendJson(res, 200, {
                    requestId: requestId(),
                    success: false,
                    errors: [{ code, message: 'Access token invalid' }],
                });
            }
            const { action, lookupField, input } = req.json as {
                action: string;
                lookupField: string;
                input: Record<string, unknown>[];
            };
            const result = input.map((record, seq) => {
                const unknown = Object.keys(record).find((k) => !state.knownFields.has(k));
                if (unknown)
                    return {
                        seq,
                        status: 'skipped',
                        reasons: [{ code: '1006', message: `Field '${unknown}' not found` }],
                    };
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
