import type { ServerResponse } from 'node:http';

import { type RecordedRequest, sendJson } from '../support/fakeServer';
import type { FakeDataverse } from './fakeDataverse';

/**
 * `DELETE /api/data/v9.2/leads(<id>)` as documented (learn.microsoft.com, Dataverse Web API "Update and delete table
 * rows using the Web API", Basic delete): 204 No Content when the row existed, 404 when it is not found (the OData
 * error `0x80040217`, "Does Not Exist", as for an update of a missing row). Called after the token check.
 */
export function handleDataverseDelete(state: FakeDataverse, req: RecordedRequest, res: ServerResponse): boolean {
    const byId = /^\/api\/data\/v9\.2\/leads\(([0-9a-f-]{36})\)$/.exec(req.pathname);
    if (req.method !== 'DELETE' || !byId) return false;
    if (!state.leads.delete(byId[1]!)) {
        sendJson(res, 404, { error: { code: '0x80040217', message: 'lead Does Not Exist' } });
        return true;
    }
    res.writeHead(204, { 'odata-version': '4.0' });
    res.end();
    return true;
}
