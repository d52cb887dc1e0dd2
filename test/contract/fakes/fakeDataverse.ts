import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';

import { type FakeServer, type RecordedRequest, sendJson, startFakeServer } from '../support/fakeServer';
import { handleDataverseDelete } from './fakeDataverseDelete';
import { createFakeEntra, type FakeEntra } from './fakeEntra';

/**
 * Dataverse Web API v9.2 for `leads` and `annotations`, as strict as the service. Where each rule comes from:
 *
 * - Columns, their types, MaxLength and choices: the Lead table/entity reference (Dynamics 365 Sales,
 *   learn.microsoft.com/dynamics365/sales/developer/entities/lead, "Writable columns/attributes"; source
 *   MicrosoftDocs/dynamics-365-customer-engagement `ce/sales/developer/entities/lead.md`) and the Note (Annotation)
 *   reference (learn.microsoft.com/power-apps/developer/data-platform/reference/entities/annotation). A value over
 *   MaxLength is refused with `0x80044331`; a column the table does not have with `0x80060888`; a choice value that
 *   is not one of the column's choices with `0x8004431A` ("the value … is outside the valid range").
 * - `statecode`: 0 Open, 1 Qualified, 2 Disqualified; a new lead is open with `statuscode` 1 "New" (2 "Contacted";
 *   3 Qualified; 4–7 the disqualified reasons) (Lead reference, statecode and statuscode choices). "Qualified and disqualified leads are
 *   read-only and can't be edited unless they are reactivated" (Dynamics 365 Sales, "Qualify or convert leads"): an
 *   update of a closed lead is refused. The docs name no server code for it; this fake answers 400 with its own code
 *   `fake:closed-lead-read-only`.
 * - Upsert (Web API "Upsert a table row"): `PATCH leads(<altkey>='v')` creates (201) or updates (200) with
 *   `Prefer: return=representation`; a key that is not an alternate key of the table is refused (`0x80060891`-style
 *   400); two simultaneous first upserts of one key: the loser gets 412 `0x80040237` DuplicateRecord. `PATCH
 *   annotations(<id>)` upserts by primary key. `If-Match: *` makes a PATCH update-only (404 when the row is gone).
 * - Lookups (`<nav>@odata.bind`, Web API "Associate table rows on create/update"): a bound row that does not exist is
 *   404 `0x80040217` "<table> With Id = … Does Not Exist".
 * - Auth: a bearer token from Entra ID; 401 otherwise. Errors are OData `{ error: { code, message } }`.
 */
export interface FakeDataverse {
    server: FakeServer;
    entra: FakeEntra;
    leads: Map<string, Record<string, unknown>>;
    annotations: Map<string, Record<string, unknown>>;
    /** Columns declared as alternate keys of `lead` (Power Apps: Keys). */
    alternateKeys: Set<string>;
    campaigns: Set<string>;
    systemusers: Set<string>;
    revoked: Set<string>;
    /** The next keyed create loses a race: another request creates the row first, this one gets 412 DuplicateRecord. */
    raceNextKeyedCreate: boolean;
    override?: (req: RecordedRequest, res: ServerResponse) => boolean;
}

const api = '/api/data/v9.2';

/** Lead columns the adapter may write (Lead reference): logical name → MaxLength (strings) or the choices. */
const leadStrings: Record<string, number> = {
    firstname: 50,
    lastname: 50,
    middlename: 50,
    emailaddress1: 100,
    emailaddress2: 100,
    telephone1: 50,
    mobilephone: 20,
    companyname: 100,
    jobtitle: 100,
    address1_country: 80,
    address1_city: 80,
    subject: 300,
    description: 2000,
    qualificationcomments: 2000,
    websiteurl: 200,
};
const leadChoices: Record<string, number[]> = {
    leadqualitycode: [1, 2, 3],
    leadsourcecode: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
};
const leadBindings: Record<string, 'campaigns' | 'systemusers'> = {
    'campaignid@odata.bind': 'campaigns',
    'ownerid@odata.bind': 'systemusers',
};
/** Custom columns a publisher adds for the alternate key (text, 100 characters in the set-up steps). */
const customKeyLength = 100;
const annotationStrings: Record<string, number> = { subject: 500, notetext: 100_000 };

const odataError = (res: ServerResponse, status: number, code: string, message: string) =>
    sendJson(res, status, { error: { code, message } });

/** With `tls`, Entra is served at the root over HTTPS, so a real `fetch` (a child process) can use it as authority. */
export async function startFakeDataverse(tls?: { key: string; cert: string }): Promise<FakeDataverse> {
    const entra = createFakeEntra('tenant-1', 'app-1', 'secret-1');
    const state = {
        entra,
        leads: new Map<string, Record<string, unknown>>(),
        annotations: new Map<string, Record<string, unknown>>(),
        alternateKeys: new Set(['new_personkey', 'new_marketplacepersonkey']),
        campaigns: new Set<string>(),
        systemusers: new Set<string>(),
        revoked: new Set<string>(),
        raceNextKeyedCreate: false,
    } as FakeDataverse;

    /** The problem with a lead body, answered as Dataverse would, or undefined when it is valid. */
    const invalidLead = (res: ServerResponse, body: Record<string, unknown>): boolean => {
        for (const [column, value] of Object.entries(body)) {
            if (column in leadBindings) {
                const table = leadBindings[column]!;
                const id = /^\/(?:systemusers|teams|campaigns)\(([0-9a-f-]{36})\)$/u.exec(String(value))?.[1];
                const known = table === 'campaigns' ? state.campaigns : state.systemusers;
                if (id === undefined || !known.has(id)) {
                    odataError(res, 404, '0x80040217', `${table.slice(0, -1)} With Id = ${id} Does Not Exist`);
                    return true;
                }
                continue;
            }
            const max = leadStrings[column] ?? (state.alternateKeys.has(column) ? customKeyLength : undefined);
            if (max !== undefined) {
                if (typeof value !== 'string')
                    return (odataError(res, 400, '0x80048d19', `bad type for ${column}`), true);
                if (value.length > max) {
                    odataError(
                        res,
                        400,
                        '0x80044331',
                        `A validation error occurred. The length of the '${column}' attribute of the 'lead' entity exceeded the maximum allowed length of '${max}'.`,
                    );
                    return true;
                }
                continue;
            }
            const choices = leadChoices[column];
            if (choices !== undefined) {
                if (!choices.includes(value as number)) {
                    odataError(
                        res,
                        400,
                        '0x8004431A',
                        `A validation error occurred. The value of '${column}' is out of range.`,
                    );
                    return true;
                }
                continue;
            }
            odataError(
                res,
                400,
                '0x80060888',
                `Could not find a property named '${column}' on type 'Microsoft.Dynamics.CRM.lead'.`,
            );
            return true;
        }
        return false;
    };
    const closed = (res: ServerResponse, lead: Record<string, unknown>): boolean => {
        if ((lead.statecode ?? 0) === 0) return false;
        odataError(res, 400, 'fake:closed-lead-read-only', 'Qualified and disqualified leads are read-only.');
        return true;
    };
    const select = (lead: Record<string, unknown>, query: URLSearchParams) => {
        const columns = query.get('$select')?.split(',') ?? Object.keys(lead);
        return Object.fromEntries(columns.map((c) => [c, lead[c] ?? null]));
    };
    const matches = (lead: Record<string, unknown>, filter: string): boolean =>
        filter.split(' and ').every((clause) => {
            const eq = /^(\w+) eq (?:'((?:[^']|'')*)'|(\d+))$/u.exec(clause.trim());
            if (eq) {
                const expected = eq[2] !== undefined ? eq[2].replace(/''/g, "'") : Number(eq[3]);
                const actual = eq[1] === 'statecode' ? (lead.statecode ?? 0) : lead[eq[1]!];
                return actual === expected;
            }
            const starts = /^startswith\((\w+),'((?:[^']|'')*)'\)$/u.exec(clause.trim());
            if (starts)
                return (typeof lead[starts[1]!] === 'string' ? (lead[starts[1]!] as string) : '').startsWith(
                    starts[2]!.replace(/''/g, "'"),
                );
            throw new Error(`fake Dataverse: unsupported $filter clause ${clause}`);
        });

    state.server = await startFakeServer((req, res) => {
        if (entra.handle(req, res)) return;
        if (state.override?.(req, res)) return;
        const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
        if (!token || !entra.issued.includes(token) || state.revoked.has(token)) {
            res.writeHead(401, { 'www-authenticate': 'Bearer authorization_uri=https://login.fake.test/tenant-1' });
            return void res.end();
        }
        const { method, pathname } = req;
        const representation = req.headers.prefer?.includes('return=representation') === true;
        const answer = (status: number, lead: Record<string, unknown>) => {
            const entityId = `${state.server.url}${api}/leads(${String(lead.leadid)})`;
            if (!representation) {
                res.writeHead(204, { 'odata-entityid': entityId });
                return void res.end();
            }
            return sendJson(res, status, select(lead, req.query), { 'odata-entityid': entityId });
        };
        if (method === 'GET' && pathname === `${api}/WhoAmI`) {
            return sendJson(res, 200, { UserId: 'u-1', BusinessUnitId: 'bu-1', OrganizationId: 'o-1' });
        }
        const byKey = /^\/api\/data\/v9\.2\/leads\((\w+)='((?:[^']|'')*)'\)$/.exec(pathname);
        if (byKey) {
            const [, column, raw] = byKey;
            if (!state.alternateKeys.has(column!)) {
                return odataError(res, 400, '0x80060891', `The key '${column}' is not an alternate key of lead.`);
            }
            const value = raw!.replace(/''/g, "'");
            const found = [...state.leads.values()].find((l) => l[column!] === value);
            if (method === 'GET') {
                if (!found)
                    return odataError(
                        res,
                        404,
                        '0x80060891',
                        'A record with the specified key values does not exist in lead entity',
                    );
                return sendJson(res, 200, select(found, req.query));
            }
            if (method !== 'PATCH') return odataError(res, 405, '0x8006088a', 'method not allowed');
            if (invalidLead(res, req.json ?? {})) return;
            if (found) {
                if (closed(res, found)) return;
                Object.assign(found, strip(req.json));
                return answer(200, found);
            }
            const lead = { ...strip(req.json), [column!]: value, leadid: randomUUID(), statecode: 0, statuscode: 1 };
            state.leads.set(lead.leadid, lead);
            if (state.raceNextKeyedCreate) {
                state.raceNextKeyedCreate = false;
                return odataError(res, 412, '0x80040237', 'A record that has the attribute values Key already exists.');
            }
            return answer(201, lead);
        }
        const byId = /^\/api\/data\/v9\.2\/leads\(([0-9a-f-]{36})\)$/.exec(pathname);
        if (method === 'GET' && byId) {
            const lead = state.leads.get(byId[1]!);
            if (!lead) return odataError(res, 404, '0x80040217', `lead With Id = ${byId[1]} Does Not Exist`);
            return sendJson(res, 200, select(lead, req.query));
        }
        if (method === 'PATCH' && byId) {
            const lead = state.leads.get(byId[1]!);
            if (!lead) return odataError(res, 404, '0x80040217', `lead With Id = ${byId[1]} Does Not Exist`);
            if (invalidLead(res, req.json ?? {}) || closed(res, lead)) return;
            Object.assign(lead, strip(req.json));
            return answer(204, lead);
        }
        if (method === 'GET' && pathname === `${api}/leads`) {
            const filter = req.query.get('$filter') ?? '';
            const value = [...state.leads.values()]
                .filter((l) => filter === '' || matches(l, filter))
                .slice(0, Number(req.query.get('$top') ?? 5000))
                .map((l) => select(l, req.query));
            return sendJson(res, 200, { value });
        }
        if (method === 'POST' && pathname === `${api}/leads`) {
            if (invalidLead(res, req.json ?? {})) return;
            const lead = { ...strip(req.json), leadid: randomUUID(), statecode: 0, statuscode: 1 };
            state.leads.set(lead.leadid, lead);
            return answer(201, lead);
        }
        const note = /^\/api\/data\/v9\.2\/annotations\(([0-9a-f-]{36})\)$/.exec(pathname);
        if (method === 'PATCH' && note) {
            const body = (req.json ?? {}) as Record<string, unknown>;
            for (const [column, value] of Object.entries(body)) {
                if (column === 'objectid_lead@odata.bind') {
                    const leadIdBound = /^\/leads\(([0-9a-f-]{36})\)$/u.exec(String(value))?.[1];
                    if (!leadIdBound || !state.leads.has(leadIdBound)) {
                        return odataError(res, 404, '0x80040217', `lead With Id = ${leadIdBound} Does Not Exist`);
                    }
                    continue;
                }
                const max = annotationStrings[column];
                if (max === undefined) {
                    return odataError(
                        res,
                        400,
                        '0x80060888',
                        `Could not find a property named '${column}' on type 'Microsoft.Dynamics.CRM.annotation'.`,
                    );
                }
                if (typeof value !== 'string' || value.length > max) {
                    return odataError(
                        res,
                        400,
                        '0x80044331',
                        `The length of the '${column}' attribute of the 'annotation' entity exceeded the maximum allowed length of '${max}'.`,
                    );
                }
            }
            const id = note[1]!;
            state.annotations.set(id, { ...state.annotations.get(id), ...body, annotationid: id });
            res.writeHead(204, { 'odata-entityid': `${state.server.url}${api}/annotations(${id})` });
            return void res.end();
        }
        if (handleDataverseDelete(state, req, res)) return;
        return odataError(res, 404, '0x8006088a', 'Resource not found for the segment');
    }, tls);
    return state;
}

/** A stored lead keeps its bindings as the ids they name, the way Dataverse exposes `_campaignid_value`. */
function strip(body: Record<string, unknown> | undefined): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(body ?? {})) {
        const nav = /^(\w+)@odata\.bind$/u.exec(k)?.[1];
        if (nav) out[`_${nav}_value`] = /\(([0-9a-f-]{36})\)/u.exec(String(v))?.[1];
        else out[k] = v;
    }
    return out;
}
