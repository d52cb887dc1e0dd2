import type { ServerResponse } from 'node:http';

import { type RecordedRequest, sendJson } from '../support/fakeServer';
import type { FakeSalesforce } from './fakeSalesforce';

/** Leads deleted through the API: Salesforce keeps them in the Recycle Bin (15 days) until it empties it. */
const recycleBins = new WeakMap<FakeSalesforce, FakeSalesforce['leads']>();
export const salesforceRecycleBin = (sf: FakeSalesforce): FakeSalesforce['leads'] => {
    let bin = recycleBins.get(sf);
    if (bin === undefined) recycleBins.set(sf, (bin = []));
    return bin;
};

/**
 * `DELETE /services/data/vXX.X/sobjects/Lead/<id>` as documented (developer.salesforce.com, REST API "Delete Records
 * Using sObject Rows"): 204 No Content; the record goes to the Recycle Bin (Apex "Deleting Records": kept 15 days).
 * Deleting it again is 404 `ENTITY_IS_DELETED`, an id that never existed 404 `NOT_FOUND` (REST API status codes and
 * error responses). Called after the session check.
 */
export function handleSalesforceDelete(state: FakeSalesforce, req: RecordedRequest, res: ServerResponse): boolean {
    const match = /^\/services\/data\/v62\.0\/sobjects\/Lead\/([A-Za-z0-9]{15,18})$/.exec(req.pathname);
    if (req.method !== 'DELETE' || !match) return false;
    const id = match[1]!;
    const bin = salesforceRecycleBin(state);
    const index = state.leads.findIndex((l) => l.Id === id);
    if (index >= 0) {
        bin.push(...state.leads.splice(index, 1));
        res.writeHead(204);
        res.end();
        return true;
    }
    const errorCode = bin.some((l) => l.Id === id) ? 'ENTITY_IS_DELETED' : 'NOT_FOUND';
    sendJson(res, 404, [{ message: `${errorCode} (fake)`, errorCode, fields: [] }]);
    return true;
}
