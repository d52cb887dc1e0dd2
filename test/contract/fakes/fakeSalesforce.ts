import { createVerify } from 'node:crypto';
import type { ServerResponse } from 'node:http';

import { type FakeServer, type RecordedRequest, sendJson, startFakeServer } from '../support/fakeServer';
import { handleSalesforceDelete } from './fakeSalesforceDelete';

/**
 * A Salesforce org for the calls the adapter makes, as strict as the real one. Where each rule comes from:
 *
 * - OAuth 2.0 Client Credentials Flow for Server-to-Server Integration (Salesforce Help): the token request must go to
 *   the org's My Domain; on `login.salesforce.com` / `test.salesforce.com` it is refused with `400 invalid_grant
 *   "request not supported on this domain"`. Tests reach those hosts through `fetchViaSalesforce` (the host is kept
 *   in a path prefix); a request straight to this server is its My Domain.
 * - OAuth 2.0 JWT Bearer Flow for Server-to-Server Integration: an RS256 assertion signed with the connected app's
 *   certificate key, `iss` = consumer key, `sub` = username, `aud` = `https://login.salesforce.com`,
 *   `https://test.salesforce.com` or an Experience Cloud site URL (whatever host is called), `exp` in the future and
 *   "within 3 minutes"; otherwise `400 invalid_grant`. The answer has no `expires_in`.
 * - REST API Developer Guide: upsert by external id (`PATCH /sobjects/Lead/<field>/<value>`: 201 created, 200
 *   updated, 300 several matches, 404 for a GET that matches nothing); `Sforce-Auto-Assign` (Assignment Rule Header,
 *   default TRUE: assignment rules run on create and on update, and replace the `OwnerId` sent);
 *   `Sforce-Duplicate-Rule-Header: allowSave=true`; `Sforce-Limit-Info: api-usage=n/max` on every answer; errors
 *   `[{ message, errorCode, fields }]`; the Limits resource needs "View Setup and Configuration".
 * - Object Reference (Lead, Task, CampaignMember) and a standard org's Describe for field sizes: Lead FirstName 40,
 *   LastName 80, Company 255, Email 80, Phone 40, Title 128, Country 80, Description 32,000 (`STRING_TOO_LONG`);
 *   LastName and Company required (`REQUIRED_FIELD_MISSING`); a field the object does not have is `INVALID_FIELD`;
 *   Rating is a picklist (Hot, Warm, Cold); with State and Country/Territory Picklists `Country` takes only the
 *   integration value (full name) and `CountryCode` the ISO code (`FIELD_INTEGRITY_EXCEPTION` otherwise); a converted
 *   Lead cannot be updated (`CANNOT_UPDATE_CONVERTED_LEAD`); a unique external id created twice at once is
 *   `DUPLICATE_VALUE`. Task Subject 255, Description 32,000; a second CampaignMember for the same campaign and Lead
 *   is `DUPLICATE_VALUE` ("Already a campaign member").
 * - Web-to-Lead (Salesforce Help, "Web-to-Lead" and "How can I be sure that leads aren't lost?"): the form posts `oid`
 *   (the org id) and field names; the answer is 200 whatever happens to the lead. Leads without LastName/Company,
 *   failing reCAPTCHA or a restricted picklist are dropped after the 200 (`webToLeadDropped`).
 */
export interface FakeSalesforce {
    server: FakeServer;
    orgId: string;
    leads: { Id: string; fields: Record<string, unknown> }[];
    tasks: { Id: string; fields: Record<string, unknown> }[];
    campaignMembers: { Id: string; fields: Record<string, unknown> }[];
    campaigns: Set<string>;
    /** Users and queues an OwnerId may name. */
    owners: Set<string>;
    /** Users that exist but are deactivated: an OwnerId naming one is refused with INACTIVE_OWNER_OR_USER. */
    inactiveOwners: Set<string>;
    /** The owner the org's active lead assignment rule assigns. */
    assignmentRuleOwner: string;
    webToLead: URLSearchParams[];
    webToLeadDropped: URLSearchParams[];
    /** Web-to-Lead with reCAPTCHA required: a post without `g-recaptcha-response` is dropped after its 200. */
    webToLeadRecaptcha: boolean;
    /** A restricted LeadSource picklist: a value outside it drops a Web-to-Lead post, fails an API write. */
    restrictedLeadSources?: string[];
    sessions: Set<string>;
    issued: number;
    apiUsage: number;
    /** When true, a new lead whose Email matches an existing lead is rejected unless the duplicate header allows it. */
    duplicateRule: boolean;
    /** The next create by external id loses a race: another request creates it first, this one gets DUPLICATE_VALUE. */
    raceNextCreate: boolean;
    /** The API user's "View Setup and Configuration" permission (off for the minimal user of the set-up steps). */
    viewSetup: boolean;
    override?: (req: RecordedRequest, res: ServerResponse) => boolean;
}

export const sfExternalIdField = 'Marketplace_Person_Key__c';
const api = '/services/data/v62.0';
const leadLengths: Record<string, number> = {
    FirstName: 40,
    LastName: 80,
    Company: 255,
    Email: 80,
    Phone: 40,
    Title: 128,
    Country: 80,
    LeadSource: 255,
    Description: 32_000,
    Status: 255,
    [sfExternalIdField]: 100,
    Lead_Grade__c: 10,
};
const leadPicklists: Record<string, string[]> = {
    Rating: ['Hot', 'Warm', 'Cold'],
    CountryCode: ['US', 'GB', 'DE', 'CZ', 'TR', 'FR'],
    Country: ['United States', 'United Kingdom', 'Germany', 'Czechia', 'Türkiye', 'France'],
};
const taskLengths: Record<string, number> = { Subject: 255, Description: 32_000 };
const taskPicklists: Record<string, string[]> = {
    Status: ['Not Started', 'In Progress', 'Completed', 'Waiting on someone else', 'Deferred'],
    Priority: ['High', 'Normal', 'Low'],
};
const audiences = ['https://login.salesforce.com', 'https://test.salesforce.com'];

/** The test's fetch: `https://<salesforce host>/…` goes to the fake with the host kept as `/__host/<host>/…`. */
export function fetchViaSalesforce(fakeUrl: string): typeof fetch {
    return (input, init) => {
        const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
        const rewritten = url.replace(/^https:\/\/([a-z0-9.-]*salesforce\.com)/u, `${fakeUrl}/__host/$1`);
        return globalThis.fetch(rewritten, init);
    };
}

export async function startFakeSalesforce(app: {
    clientId: string;
    clientSecret: string;
    publicKey: string;
    username: string;
}) {
    const state = {
        orgId: '00D000000000001',
        leads: [],
        tasks: [],
        campaignMembers: [],
        campaigns: new Set<string>(),
        owners: new Set(['005000000000001AAA', '00G000000000001AAA']),
        inactiveOwners: new Set(),
        assignmentRuleOwner: '00G000000000001AAA',
        webToLead: [],
        webToLeadDropped: [],
        webToLeadRecaptcha: false,
        sessions: new Set<string>(),
        issued: 0,
        apiUsage: 0,
        duplicateRule: false,
        raceNextCreate: false,
        viewSetup: false,
    } as unknown as FakeSalesforce;
    let ids = 0;
    const nextId = (prefix: string) => `${prefix}${String(++ids).padStart(15, '0')}`;
    const err = (res: ServerResponse, status: number, errorCode: string, fields: string[] = []) =>
        sendJson(res, status, [{ message: `${errorCode} (fake)`, errorCode, fields }], limitInfo());
    const limitInfo = () => ({ 'sforce-limit-info': `api-usage=${state.apiUsage}/15000` });

    /** The first problem with a Lead body, or undefined. */
    const leadProblem = (body: Record<string, unknown>, creating: boolean): [string, string[]] | undefined => {
        for (const [field, value] of Object.entries(body)) {
            const max = leadLengths[field];
            const picklist = leadPicklists[field];
            if (picklist !== undefined && !picklist.includes(String(value))) {
                const code =
                    field === 'Rating' ? 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST' : 'FIELD_INTEGRITY_EXCEPTION';
                return [code, [field]];
            }
            if (max !== undefined) {
                if (typeof value !== 'string') return ['INVALID_TYPE_ON_FIELD_IN_RECORD', [field]];
                if (value.length > max) return ['STRING_TOO_LONG', [field]];
                if (
                    field === 'LeadSource' &&
                    state.restrictedLeadSources &&
                    !state.restrictedLeadSources.includes(value)
                )
                    return ['INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', [field]];
            } else if (picklist !== undefined) {
                if (!picklist.includes(String(value))) {
                    const code =
                        field === 'Rating' ? 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST' : 'FIELD_INTEGRITY_EXCEPTION';
                    return [code, [field]];
                }
            } else if (field === 'OwnerId') {
                // SOAP API Developer Guide, "StatusCode" (the REST API answers the same codes): an owner that is a
                // deactivated user is INACTIVE_OWNER_OR_USER; an id that is no user or queue is
                // INVALID_CROSS_REFERENCE_KEY ("an invalid foreign key can't be set on a field").
                if (state.inactiveOwners.has(String(value))) return ['INACTIVE_OWNER_OR_USER', [field]];
                if (!state.owners.has(String(value))) return ['INVALID_CROSS_REFERENCE_KEY', [field]];
            } else return ['INVALID_FIELD', [field]];
        }
        if (creating) {
            const missing = ['LastName', 'Company'].filter((f) => !body[f]);
            if (missing.length > 0) return ['REQUIRED_FIELD_MISSING', missing];
        }
        return undefined;
    };
    const runsAssignment = (header: string | string[] | undefined) => {
        const value = String(header ?? 'TRUE');
        return value.toUpperCase() !== 'FALSE';
    };
    const record = (prefix: string) => [...state.leads, ...state.tasks].find((r) => r.Id === prefix);

    state.server = await startFakeServer((req, res) => {
        const hosted = /^\/__host\/([^/]+)(\/.*)$/u.exec(req.pathname);
        const host = hosted?.[1] ?? 'fake.my.salesforce.com';
        const pathname = hosted?.[2] ?? req.pathname;
        if (req.method === 'POST' && pathname === '/services/oauth2/token') {
            const form = new URLSearchParams(req.body);
            const grant = form.get('grant_type');
            if (grant === 'client_credentials') {
                if (host === 'login.salesforce.com' || host === 'test.salesforce.com') {
                    return sendJson(res, 400, {
                        error: 'invalid_grant',
                        error_description: 'request not supported on this domain',
                    });
                }
                if (form.get('client_id') !== app.clientId || form.get('client_secret') !== app.clientSecret)
                    return sendJson(res, 400, {
                        error: 'invalid_client',
                        error_description: 'invalid client credentials',
                    });
            } else if (grant === 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
                const problem = assertionProblem(form.get('assertion'));
                if (problem) return sendJson(res, 400, { error: 'invalid_grant', error_description: problem });
            } else {
                return sendJson(res, 400, {
                    error: 'unsupported_grant_type',
                    error_description: 'grant type not supported',
                });
            }
            const token = `sf-tok-${++state.issued}`;
            state.sessions.add(token);
            return sendJson(res, 200, {
                access_token: token,
                instance_url: state.server.url,
                id: `${state.server.url}/id/${state.orgId}/005000000000001`,
                token_type: 'Bearer',
                issued_at: String(Date.now()),
                signature: 'sig',
            });
        }
        if (req.method === 'POST' && pathname === '/servlet/servlet.WebToLead') {
            const form = new URLSearchParams(req.body);
            const dropped =
                form.get('oid') !== state.orgId ||
                !form.get('last_name') ||
                !form.get('company') ||
                (state.webToLeadRecaptcha && !form.get('g-recaptcha-response')) ||
                (state.restrictedLeadSources !== undefined &&
                    !state.restrictedLeadSources.includes(form.get('lead_source') ?? ''));
            (dropped ? state.webToLeadDropped : state.webToLead).push(form);
            res.writeHead(200, { 'content-type': 'text/html' });
            return void res.end('<html></html>');
        }
        if (state.override?.(req, res)) return;
        const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
        if (!token || !state.sessions.has(token)) return err(res, 401, 'INVALID_SESSION_ID');
        state.apiUsage += 1;
        if (req.method === 'GET' && pathname === `${api}/limits`) {
            if (!state.viewSetup) return err(res, 403, 'INSUFFICIENT_ACCESS');
            return sendJson(
                res,
                200,
                { DailyApiRequests: { Max: 15000, Remaining: 15000 - state.apiUsage } },
                limitInfo(),
            );
        }
        if (req.method === 'GET' && pathname === `${api}/query`) return query(req.query.get('q') ?? '', res);
        const upsert = new RegExp(`^${api.replace(/\./g, '\\.')}/sobjects/Lead/(\\w+)/(.+)$`).exec(pathname);
        if (upsert) {
            if (upsert[1] !== sfExternalIdField) return err(res, 404, 'NOT_FOUND');
            const value = decodeURIComponent(upsert[2]!);
            const matches = state.leads.filter((l) => l.fields[sfExternalIdField] === value);
            if (matches.length > 1)
                return sendJson(
                    res,
                    300,
                    matches.map((m) => `${api}/sobjects/Lead/${m.Id}`),
                    limitInfo(),
                );
            const [existing] = matches;
            if (req.method === 'GET') {
                if (!existing) return err(res, 404, 'NOT_FOUND');
                const fields = (req.query.get('fields') ?? 'Id').split(',');
                const row: Record<string, unknown> = { attributes: { type: 'Lead' }, Id: existing.Id };
                for (const f of fields)
                    row[f] = f === 'Id' ? existing.Id : (existing.fields[f] ?? (f === 'IsConverted' ? false : null));
                return sendJson(res, 200, row, limitInfo());
            }
            if (req.method !== 'PATCH') return err(res, 405, 'METHOD_NOT_ALLOWED');
            const body = (req.json ?? {}) as Record<string, unknown>;
            if (sfExternalIdField in body) return err(res, 400, 'INVALID_FIELD', [sfExternalIdField]);
            const problem = leadProblem(body, existing === undefined);
            if (problem) return err(res, 400, problem[0], problem[1]);
            const assign = runsAssignment(req.headers['sforce-auto-assign']);
            if (existing) {
                if (existing.fields.IsConverted === true) return err(res, 400, 'CANNOT_UPDATE_CONVERTED_LEAD');
                Object.assign(existing.fields, body);
                if (assign) existing.fields.OwnerId = state.assignmentRuleOwner;
                return sendJson(res, 200, { id: existing.Id, success: true, errors: [], created: false }, limitInfo());
            }
            const allowSave = req.headers['sforce-duplicate-rule-header'] === 'allowSave=true';
            if (state.duplicateRule && !allowSave && state.leads.some((l) => l.fields.Email === body.Email)) {
                return err(res, 400, 'DUPLICATES_DETECTED');
            }
            const Id = nextId('00Q');
            const fields = {
                OwnerId: '005000000000001AAA',
                Status: 'Open - Not Contacted',
                ...body,
                [sfExternalIdField]: value,
            };
            if (assign) fields.OwnerId = state.assignmentRuleOwner;
            state.leads.push({ Id, fields });
            if (state.raceNextCreate) {
                state.raceNextCreate = false;
                return err(res, 400, 'DUPLICATE_VALUE', [sfExternalIdField]);
            }
            return sendJson(res, 201, { id: Id, success: true, errors: [], created: true }, limitInfo());
        }
        if (req.method === 'POST' && pathname === `${api}/sobjects/Task`) {
            const body = (req.json ?? {}) as Record<string, unknown>;
            for (const [field, value] of Object.entries(body)) {
                const max = taskLengths[field];
                if (max !== undefined && (typeof value !== 'string' || value.length > max))
                    return err(res, 400, 'STRING_TOO_LONG', [field]);
                const picklist = taskPicklists[field];
                if (picklist !== undefined && !picklist.includes(String(value)))
                    return err(res, 400, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', [field]);
                if (field === 'WhoId' && !record(String(value)) && !String(value).startsWith('003'))
                    return err(res, 400, 'INVALID_CROSS_REFERENCE_KEY', [field]);
                if (field === 'OwnerId' && !state.owners.has(String(value)))
                    return err(res, 400, 'INVALID_CROSS_REFERENCE_KEY', [field]);
                if (
                    max === undefined &&
                    picklist === undefined &&
                    !['WhoId', 'WhatId', 'OwnerId', 'ActivityDate'].includes(field)
                )
                    return err(res, 400, 'INVALID_FIELD', [field]);
            }
            const Id = nextId('00T');
            state.tasks.push({ Id, fields: body });
            return sendJson(res, 201, { id: Id, success: true, errors: [] }, limitInfo());
        }
        if (req.method === 'POST' && pathname === `${api}/sobjects/CampaignMember`) {
            const body = (req.json ?? {}) as Record<string, unknown>;
            if (!state.campaigns.has(String(body.CampaignId)))
                return err(res, 400, 'INVALID_CROSS_REFERENCE_KEY', ['CampaignId']);
            const member = body.LeadId ?? body.ContactId;
            if (member === undefined) return err(res, 400, 'REQUIRED_FIELD_MISSING', ['LeadId']);
            if (
                state.campaignMembers.some(
                    (m) =>
                        m.fields.CampaignId === body.CampaignId && (m.fields.LeadId ?? m.fields.ContactId) === member,
                )
            )
                return err(res, 400, 'DUPLICATE_VALUE');
            const Id = nextId('00v');
            state.campaignMembers.push({ Id, fields: body });
            return sendJson(res, 201, { id: Id, success: true, errors: [] }, limitInfo());
        }
        if (handleSalesforceDelete(state, req, res)) return;
        return err(res, 404, 'NOT_FOUND');
    });
    return state;

    /** The two SOQL shapes the adapter sends; anything else is a test error. */
    function query(soql: string, res: ServerResponse) {
        const lead = /^SELECT Id FROM Lead WHERE (\w+) = '([^']*)' LIMIT 1$/u.exec(soql);
        if (lead) {
            if (!(lead[1]! in leadLengths)) return err(res, 400, 'INVALID_FIELD', [lead[1]!]);
            const found = state.leads.filter((l) => l.fields[lead[1]!] === lead[2]).slice(0, 1);
            return sendJson(
                res,
                200,
                { totalSize: found.length, done: true, records: found.map((l) => ({ Id: l.Id })) },
                limitInfo(),
            );
        }
        const task = /^SELECT Id FROM Task WHERE WhoId = '([^']*)' AND Subject LIKE '%([^%']*)%' LIMIT 1$/u.exec(soql);
        if (task) {
            const found = state.tasks
                .filter((t) => t.fields.WhoId === task[1] && String(t.fields.Subject).includes(task[2]!))
                .slice(0, 1);
            return sendJson(
                res,
                200,
                { totalSize: found.length, done: true, records: found.map((t) => ({ Id: t.Id })) },
                limitInfo(),
            );
        }
        return err(res, 400, 'MALFORMED_QUERY');
    }

    function assertionProblem(assertion: string | null): string | undefined {
        const [header, claims, signature] = (assertion ?? '').split('.');
        if (!header || !claims || !signature) return 'invalid assertion';
        const verified = createVerify('RSA-SHA256')
            .update(`${header}.${claims}`)
            .verify(app.publicKey, Buffer.from(signature, 'base64url'));
        const c = JSON.parse(Buffer.from(claims, 'base64url').toString()) as {
            iss: string;
            sub: string;
            aud: string;
            exp: number;
        };
        const nowSeconds = Date.now() / 1000;
        if (!verified || c.iss !== app.clientId || c.sub !== app.username) return 'invalid assertion';
        if (!audiences.includes(c.aud)) return 'audience is invalid';
        if (c.exp <= nowSeconds || c.exp > nowSeconds + 180) return 'expired or exp more than 3 minutes away';
        return undefined;
    }
}
