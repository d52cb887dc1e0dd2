import { createVerify } from 'node:crypto';
import type { ServerResponse } from 'node:http';

import { type FakeServer, type RecordedRequest, sendJson, startFakeServer } from '../support/fakeServer';

/**
 * Salesforce as documented for the calls the adapter makes: OAuth 2.0 token endpoint (client credentials, JWT
 * bearer with an RS256 assertion checked against the connected app's certificate key), answering `access_token` +
 * `instance_url` and no expiry; `PATCH /sobjects/Lead/<extIdField>/<value>` upsert (201 `created:true`, 200
 * `created:false`, 300 on several matches); error bodies `[{ message, errorCode, fields }]` (INVALID_SESSION_ID 401,
 * REQUEST_LIMIT_EXCEEDED 403, DUPLICATES_DETECTED 400, REQUIRED_FIELD_MISSING 400); `/limits`; Web-to-Lead.
 */
export interface FakeSalesforce {
    server: FakeServer;
    leads: { Id: string; fields: Record<string, unknown> }[];
    webToLead: URLSearchParams[];
    sessions: Set<string>;
    issued: number;
    /** When true, a new lead whose Email matches an existing lead is rejected unless the duplicate header allows it. */
    duplicateRule: boolean;
    override?: (req: RecordedRequest, res: ServerResponse) => boolean;
}

export const sfExternalIdField = 'Marketplace_Person_Key__c';

export async function startFakeSalesforce(app: {
    clientId: string;
    clientSecret: string;
    publicKey: string;
    username: string;
}) {
    const state = {
        leads: [],
        webToLead: [],
        sessions: new Set<string>(),
        issued: 0,
        duplicateRule: false,
    } as unknown as FakeSalesforce;
    const err = (res: ServerResponse, status: number, errorCode: string, fields: string[] = []) =>
        sendJson(res, status, [{ message: `${errorCode} (fake)`, errorCode, fields }]);
    state.server = await startFakeServer((req, res) => {
        if (req.method === 'POST' && req.pathname === '/services/oauth2/token') {
            const form = new URLSearchParams(req.body);
            const ok =
                form.get('grant_type') === 'client_credentials'
                    ? form.get('client_id') === app.clientId && form.get('client_secret') === app.clientSecret
                    : form.get('grant_type') === 'urn:ietf:params:oauth:grant-type:jwt-bearer' &&
                      validAssertion(form.get('assertion'));
            if (!ok)
                return sendJson(res, 400, { error: 'invalid_client', error_description: 'invalid client credentials' });
            const token = `sf-tok-${++state.issued}`;
            state.sessions.add(token);
            return sendJson(res, 200, {
                access_token: token,
                instance_url: state.server.url,
                id: `${state.server.url}/id/00D000000000001/005000000000001`,
                token_type: 'Bearer',
                issued_at: String(Date.now()),
                signature: 'sig',
            });
        }
        if (req.method === 'POST' && req.pathname === '/servlet/servlet.WebToLead') {
            state.webToLead.push(new URLSearchParams(req.body));
            res.writeHead(200, { 'content-type': 'text/html' });
            return void res.end('<html></html>');
        }
        if (state.override?.(req, res)) return;
        const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
        if (!token || !state.sessions.has(token)) return err(res, 401, 'INVALID_SESSION_ID');
        if (req.method === 'GET' && req.pathname === '/services/data/v62.0/limits') {
            return sendJson(res, 200, { DailyApiRequests: { Max: 15000, Remaining: 14990 } });
        }
        const upsert = /^\/services\/data\/v62\.0\/sobjects\/Lead\/(\w+)\/(.+)$/.exec(req.pathname);
        if (req.method === 'PATCH' && upsert) {
            if (upsert[1] !== sfExternalIdField) return err(res, 404, 'NOT_FOUND');
            const value = upsert[2]!;
            const matches = state.leads.filter((l) => l.fields[sfExternalIdField] === value);
            if (matches.length > 1)
                return sendJson(
                    res,
                    300,
                    matches.map((m) => `/services/data/v62.0/sobjects/Lead/${m.Id}`),
                );
            if (req.json && sfExternalIdField in req.json) return err(res, 400, 'INVALID_FIELD', [sfExternalIdField]);
            const [existing] = matches;
            if (existing) {
                Object.assign(existing.fields, req.json);
                return sendJson(res, 200, { id: existing.Id, success: true, errors: [], created: false });
            }
            const missing = ['LastName', 'Company'].filter((f) => !req.json?.[f]);
            if (missing.length > 0) return err(res, 400, 'REQUIRED_FIELD_MISSING', missing);
            const allowSave = req.headers['sforce-duplicate-rule-header'] === 'allowSave=true';
            if (state.duplicateRule && !allowSave && state.leads.some((l) => l.fields.Email === req.json.Email)) {
                return err(res, 400, 'DUPLICATES_DETECTED');
            }
            const Id = `00Q${String(state.leads.length + 1).padStart(15, '0')}`;
            state.leads.push({ Id, fields: { ...req.json, [sfExternalIdField]: value } });
            return sendJson(res, 201, { id: Id, success: true, errors: [], created: true });
        }
        return err(res, 404, 'NOT_FOUND');
    });
    return state;

    function validAssertion(assertion: string | null): boolean {
        const [header, claims, signature] = (assertion ?? '').split('.');
        if (!header || !claims || !signature) return false;
        const verified = createVerify('RSA-SHA256')
            .update(`${header}.${claims}`)
            .verify(app.publicKey, Buffer.from(signature, 'base64url'));
        const c = JSON.parse(Buffer.from(claims, 'base64url').toString()) as {
            iss: string;
            sub: string;
            aud: string;
            exp: number;
        };
        return (
            verified &&
            c.iss === app.clientId &&
            c.sub === app.username &&
            c.exp * 1000 > Date.now() &&
            c.aud.length > 0
        );
    }
}
