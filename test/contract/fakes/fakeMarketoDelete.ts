import type { ServerResponse } from 'node:http';

import { type RecordedRequest, sendJson } from '../support/fakeServer';
import type { FakeMarketo } from './fakeMarketo';

/** "Max batch size (standard): 300 records" (developers.marketo.com, REST API, Lead Database). */
const MAX_BATCH = 300;

/**
 * `POST /rest/v1/leads/delete.json` with `{ input: [{ id }] }` as documented (Marketo REST "Delete Leads", permission
 * Read-Write Lead): HTTP 200, each record `deleted`, or `skipped` with reason 1004 "Lead not found" (error-code
 * reference); an invalid or expired token (its `expires_in` passed on the identity service's clock) is the response-level
 * 601/602 the other endpoints answer. The reference
 * gives the batch maximum but not the error past it: the fake refuses such a call as a failed request
 * (`success: false`), so an adapter that sends more fails its test. Called for every request with a token.
 */
export function handleMarketoDelete(
    state: FakeMarketo,
    req: RecordedRequest,
    res: ServerResponse,
    outlived: (token: string) => boolean,
): boolean {
    if (req.method !== 'POST' || req.pathname !== '/rest/v1/leads/delete.json') return false;
    const requestId = `${state.leads.length}#fake-delete`;
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const status = token ? state.tokens.get(token) : undefined;
    const expired = token !== undefined && (status === 'expired' || outlived(token));
    if (status === undefined || expired) {
        const [code, message] = expired ? ['602', 'Access token expired'] : ['601', 'Access token invalid'];
        sendJson(res, 200, { requestId, success: false, errors: [{ code, message }] });
        return true;
    }
    const input = (req.json as { input?: { id?: unknown }[] } | undefined)?.input;
    if (!Array.isArray(input) || input.length === 0 || input.length > MAX_BATCH) {
        sendJson(res, 200, { requestId, success: false, errors: [{ code: '1003', message: 'Invalid input' }] });
        return true;
    }
    const result = input.map((record, seq) => {
        const index = state.leads.findIndex((l) => l.id === record.id);
        if (index < 0)
            return { seq, id: record.id, status: 'skipped', reasons: [{ code: '1004', message: 'Lead not found' }] };
        state.leads.splice(index, 1);
        return { seq, id: record.id, status: 'deleted' };
    });
    sendJson(res, 200, { requestId, success: true, result });
    return true;
}
