import { generateKeyPairSync } from 'node:crypto';

import { clearSharedTokenCaches } from '../../shared/adapters/crmKit/TokenCache';
import { createSalesforceTarget } from '../../shared/adapters/salesforce/createSalesforceTarget';
import { ConfigError, PermanentError, TransientError } from '../../shared/domain/errors';
import type { TargetConfig } from '../../shared/domain/TargetConfig';
import {
    type FakeSalesforce,
    fetchViaSalesforce,
    sfExternalIdField,
    startFakeSalesforce,
} from './fakes/fakeSalesforce';
import { resetConnection, sendJson } from './support/fakeServer';
import { expectNoPersonalData, makeDecision, makeDeps, makeLead, makeRequest } from './support/fixtures';

const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const privateKey = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const publicKey = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();

const config = (extra: Record<string, unknown> = {}, mapping?: Record<string, string>): TargetConfig => ({
    type: 'salesforce',
    role: 'outreach',
    enabled: 'auto',
    options: {
        loginUrl: '%SF_LOGIN%',
        clientId: '%SF_CLIENT%',
        clientSecret: '%SF_SECRET%',
        externalIdField: sfExternalIdField,
        ...extra,
    },
    mapping,
});
const jwt = (extra: Record<string, unknown> = {}) =>
    config({
        auth: 'jwt-bearer',
        clientSecret: undefined,
        username: 'api@contoso.example',
        privateKey: '%SF_KEY%',
        ...extra,
    });

describe('Salesforce target against a fake Salesforce org', () => {
    let fake: FakeSalesforce;
    beforeAll(async () => {
        fake = await startFakeSalesforce({
            clientId: 'cid',
            clientSecret: 'csecret',
            publicKey,
            username: 'api@contoso.example',
        });
    });
    afterAll(() => fake.server.close());
    beforeEach(() => {
        clearSharedTokenCaches();
        fake.override = undefined;
        fake.leads.length = 0;
        fake.tasks.length = 0;
        fake.campaignMembers.length = 0;
        fake.campaigns.clear();
        fake.webToLead.length = 0;
        fake.webToLeadDropped.length = 0;
        fake.webToLeadRecaptcha = false;
        fake.restrictedLeadSources = undefined;
        fake.duplicateRule = false;
        fake.raceNextCreate = false;
        fake.server.requests.length = 0;
    });
    // The fake at its own address is the org's My Domain.
    const deps = (secret = 'csecret', login = fake.server.url) =>
        makeDeps(
            { SF_LOGIN: login, SF_CLIENT: 'cid', SF_SECRET: secret, SF_KEY: privateKey, SF_OID: '00D000000000001' },
            { fetch: fetchViaSalesforce(fake.server.url) },
        );
    const dataCalls = () => fake.server.requests.filter((r) => r.pathname.startsWith('/services/data/'));
    const leadPath = `/services/data/v62.0/sobjects/Lead/${sfExternalIdField}/pk-ada-offer`;
    const person = (leadKey: string, extra: Parameters<typeof makeLead>[0] = {}) =>
        makeRequest('sf', { lead: makeLead({ leadKey, ...extra }), idempotencyKey: `${leadKey}:sf` });

    it('when a lead is delivered, then the Lead is read, upserted by the person key with assignment rules on, and logged as a task', async () => {
        const d = deps();
        const result = await createSalesforceTarget('sf', config(), d).deliver(makeRequest('sf'));

        expect(result).toMatchObject({ action: 'created', externalId: expect.stringMatching(/^00Q/), status: 201 });
        const [token, read, upsert, task] = fake.server.requests;
        expect(token).toMatchObject({ method: 'POST', pathname: '/services/oauth2/token' });
        expect(Object.fromEntries(new URLSearchParams(token!.body))).toEqual({
            grant_type: 'client_credentials',
            client_id: 'cid',
            client_secret: 'csecret',
        });
        expect(read).toMatchObject({ method: 'GET', pathname: leadPath });
        expect(upsert).toMatchObject({ method: 'PATCH', pathname: leadPath });
        expect(upsert!.headers['sforce-auto-assign']).toBe('TRUE');
        expect(upsert!.json).toEqual({
            FirstName: 'Augusta',
            LastName: 'Lovelace',
            Email: 'ada@contoso.example',
            Phone: '+14255550100',
            Company: 'Contoso',
            Title: 'CTO',
            CountryCode: 'US',
            LeadSource: 'Web',
            Rating: 'Hot',
            Description: expect.stringContaining('Offer: Contoso Analytics'),
        });
        expect(task).toMatchObject({ method: 'POST', pathname: '/services/data/v62.0/sobjects/Task' });
        expect(task!.json).toMatchObject({
            WhoId: result.externalId,
            Status: 'Completed',
            Subject: expect.stringMatching(/^Azure Marketplace: install – Contoso Analytics \[lp-[0-9a-f]{16}\]$/),
            Description: expect.stringContaining('Please call me after 5'),
            ActivityDate: '2026-11-20',
        });
        expect(fake.server.requests).toHaveLength(4);
        expectNoPersonalData(JSON.stringify(d.logs));
    });

    it('when the delivery is repeated or the person comes back, then the same Lead is updated without re-running assignment rules, and each lead has one task', async () => {
        const target = createSalesforceTarget('sf', config(), deps());
        const first = await target.deliver(makeRequest('sf'));
        // Sales took the lead over.
        fake.leads[0]!.fields.OwnerId = '005000000000001AAA';
        const retry = await target.deliver(makeRequest('sf', { attempt: 2 }));
        const journey = await target.deliver(person('lk-0009', { action: { code: 'PLT', meaning: 'contact-me' } }));

        expect(retry).toMatchObject({ action: 'updated', externalId: first.externalId, status: 200 });
        expect(retry.note).toContain('task already present');
        expect(journey).toMatchObject({ action: 'updated', externalId: first.externalId });
        expect(fake.leads).toHaveLength(1);
        expect(fake.leads[0]!.fields.OwnerId).toBe('005000000000001AAA');
        expect(fake.tasks).toHaveLength(2);
        const updates = dataCalls().filter((c) => c.method === 'PATCH');
        expect(updates.map((c) => c.headers['sforce-auto-assign'])).toEqual(['TRUE', 'FALSE', 'FALSE']);
    });

    it('when assignment rules are set to always, never or a rule id, then Sforce-Auto-Assign says so; a pipeline owner turns them off', async () => {
        const header = async (
            extra: Record<string, unknown>,
            owner?: { personId: string; displayName: string; id: string },
        ) => {
            fake.leads.length = 0;
            fake.server.requests.length = 0;
            await createSalesforceTarget('sf', config({ ...extra, createTask: false }), deps()).deliver(
                makeRequest('sf', { owner }),
            );
            return dataCalls().find((c) => c.method === 'PATCH')!.headers['sforce-auto-assign'];
        };
        expect(await header({ assignmentRules: 'never' })).toBe('FALSE');
        expect(await header({ assignmentRules: 'always' })).toBe('TRUE');
        expect(await header({ assignmentRules: '01Q000000000001AAA' })).toBe('01Q000000000001AAA');
        const owner = { personId: 'jana', displayName: 'Jana Novak', id: '005000000000001AAA' };
        expect(await header({}, owner)).toBe('FALSE');
        expect(fake.leads[0]!.fields.OwnerId).toBe('005000000000001AAA');
        expect(() => createSalesforceTarget('sf', config({ assignmentRules: 'sometimes' }), deps())).toThrow(
            ConfigError,
        );
    });

    it('when the client-credentials flow is configured on login or test.salesforce.com, then the config is refused with what to set', () => {
        for (const host of ['https://login.salesforce.com', 'https://test.salesforce.com/']) {
            const build = () => createSalesforceTarget('sf', config(), deps('csecret', host));
            expect(build).toThrow(ConfigError);
            try {
                build();
            } catch (e) {
                expect((e as ConfigError).problems[0]).toMatchObject({
                    path: 'targets.sf.options.loginUrl',
                    message: expect.stringContaining('my.salesforce.com'),
                });
            }
        }
        // Without a loginUrl there is no default for this flow: the shared login host would refuse it.
        expect(() => createSalesforceTarget('sf', config({ loginUrl: undefined }), deps())).toThrow(ConfigError);
    });

    it('when the fake is asked on login.salesforce.com for client credentials, then it answers invalid_grant as Salesforce does', async () => {
        const answer = await fetchViaSalesforce(fake.server.url)('https://login.salesforce.com/services/oauth2/token', {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: 'grant_type=client_credentials&client_id=cid&client_secret=csecret',
        });
        expect(answer.status).toBe(400);
        expect(await answer.json()).toEqual({
            error: 'invalid_grant',
            error_description: 'request not supported on this domain',
        });
    });

    it('when the JWT bearer flow is configured, then the assertion’s aud is the login audience whatever host is called, and exp keeps a margin under 3 minutes', async () => {
        const target = createSalesforceTarget('sf', jwt(), deps());
        await expect(target.deliver(makeRequest('sf'))).resolves.toMatchObject({ action: 'created' });
        const form = new URLSearchParams(fake.server.requests[0]!.body);
        expect(form.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
        const claims = JSON.parse(Buffer.from(form.get('assertion')!.split('.')[1]!, 'base64url').toString());
        expect(claims).toMatchObject({ iss: 'cid', sub: 'api@contoso.example', aud: 'https://login.salesforce.com' });
        const secondsLeft = claims.exp - Date.now() / 1000;
        expect(secondsLeft).toBeGreaterThan(100);
        expect(secondsLeft).toBeLessThanOrEqual(150);

        clearSharedTokenCaches();
        fake.server.requests.length = 0;
        const sandbox = createSalesforceTarget(
            'sf',
            jwt(),
            deps('csecret', 'https://contoso--uat.sandbox.my.salesforce.com'),
        );
        await sandbox.deliver(makeRequest('sf'));
        const token = fake.server.requests[0]!;
        expect(token.pathname).toBe('/__host/contoso--uat.sandbox.my.salesforce.com/services/oauth2/token');
        const sandboxClaims = JSON.parse(
            Buffer.from(new URLSearchParams(token.body).get('assertion')!.split('.')[1]!, 'base64url').toString(),
        );
        expect(sandboxClaims.aud).toBe('https://test.salesforce.com');
    });

    it('when a converted person sends a new lead, then it becomes an open task on their contact for its owner, once', async () => {
        const target = createSalesforceTarget('sf', config({ campaigns: { spring: '701000000000001AAA' } }), deps());
        fake.campaigns.add('701000000000001AAA');
        await target.deliver(makeRequest('sf'));
        Object.assign(fake.leads[0]!.fields, {
            IsConverted: true,
            ConvertedContactId: '003000000000001AAA',
            ConvertedAccountId: '001000000000001AAA',
            OwnerId: '005000000000001AAA',
        });
        const tasksBefore = fake.tasks.length;

        const next = await target.deliver(person('lk-0002'));
        const repeat = await target.deliver(person('lk-0002'));

        expect(next).toMatchObject({ action: 'updated', externalId: '003000000000001AAA' });
        expect(next.note).toContain('lead was converted');
        expect(repeat.note).toContain('task already present');
        expect(fake.tasks).toHaveLength(tasksBefore + 1);
        expect(fake.tasks.at(-1)!.fields).toMatchObject({
            WhoId: '003000000000001AAA',
            WhatId: '001000000000001AAA',
            OwnerId: '005000000000001AAA',
            Status: 'Not Started',
            Priority: 'High',
        });
        expect(dataCalls().filter((c) => c.method === 'PATCH')).toHaveLength(1);
        expect(fake.campaignMembers.map((m) => m.fields.ContactId).filter(Boolean)).toEqual(['003000000000001AAA']);
    });

    it('when values are longer than their fields, then each is cut to its length, a too-long email is left out, and the task keeps the full text', async () => {
        const long = (n: number, c: string) => c.repeat(n);
        const notes = `Long request ${long(40_000, 'n')}`;
        const lead = makeLead({
            contact: {
                ...makeLead().contact,
                firstName: long(50, 'f'),
                lastName: long(90, 'l'),
                company: long(300, 'c'),
                email: `${long(90, 'e')}@x.example`,
            },
            description: { raw: notes, notes: notes.slice(0, 32_000) },
        });
        const result = await createSalesforceTarget('sf', config(), deps()).deliver(makeRequest('sf', { lead }));

        expect(result.note).toContain(
            'cut to field length: FirstName, LastName, Email (left out), Company, Description',
        );
        const { fields } = fake.leads[0]!;
        expect([
            (fields.FirstName as string).length,
            (fields.LastName as string).length,
            (fields.Company as string).length,
        ]).toEqual([40, 80, 255]);
        expect(fields.Email).toBeUndefined();
        expect((fake.tasks[0]!.fields.Description as string).length).toBeLessThanOrEqual(32_000);
        expect(fake.tasks[0]!.fields.Description).toContain(long(1000, 'n'));
    });

    it('when two first deliveries of one person race, then the loser’s DUPLICATE_VALUE becomes an update', async () => {
        fake.raceNextCreate = true;
        const result = await createSalesforceTarget('sf', config(), deps()).deliver(makeRequest('sf'));
        expect(result).toMatchObject({ action: 'updated', status: 200 });
        expect(result.note).toContain('created concurrently');
        expect(fake.leads).toHaveLength(1);
    });

    it('when the org has country picklists, then the ISO code goes to CountryCode; orgs without them can send Country', async () => {
        await createSalesforceTarget('sf', config(), deps()).deliver(makeRequest('sf'));
        expect(fake.leads[0]!.fields).toMatchObject({ CountryCode: 'US' });
        expect(fake.leads[0]!.fields.Country).toBeUndefined();
        // The old default (the ISO code into Country) is refused by an org with picklists.
        fake.leads.length = 0;
        await expect(
            createSalesforceTarget('sf', config({}, { Country: 'country', CountryCode: '' }), deps()).deliver(
                makeRequest('sf'),
            ),
        ).rejects.toMatchObject({ name: 'PermanentError', details: { code: 'FIELD_INTEGRITY_EXCEPTION' } });
        const plain = createSalesforceTarget(
            'sf',
            config({ countryField: 'Country' }, { Country: '=United States' }),
            deps(),
        );
        await expect(plain.deliver(makeRequest('sf'))).resolves.toMatchObject({ action: 'created' });
    });

    it('when the lead’s campaign is mapped, then the Lead becomes a campaign member once; an unknown or refused campaign never fails the delivery', async () => {
        fake.campaigns.add('701000000000001AAA');
        const target = createSalesforceTarget(
            'sf',
            config({ campaigns: { spring: '701000000000001AAA', other: '701000000000009AAA' } }),
            deps(),
        );
        const first = await target.deliver(makeRequest('sf'));
        const repeat = await target.deliver(makeRequest('sf', { attempt: 2 }));
        expect(first.note).toContain('campaign member of 701000000000001AAA');
        expect(repeat.note).toContain('campaign member of 701000000000001AAA');
        expect(fake.campaignMembers).toHaveLength(1);

        const unmapped = person('lk-0003', {
            personKey: 'pk-3',
            description: { campaign: { mktcmpid: 'unknown', params: {} } },
        });
        await expect(target.deliver(unmapped)).resolves.toMatchObject({ action: 'created' });
        const refused = person('lk-0004', {
            personKey: 'pk-4',
            description: { campaign: { mktcmpid: 'other', params: {} } },
        });
        const answer = await target.deliver(refused);
        expect(answer.action).toBe('created');
        expect(answer.note).toContain('not added to campaign 701000000000009AAA (INVALID_CROSS_REFERENCE_KEY)');
        expect(() => createSalesforceTarget('sf', config({ campaigns: { spring: 'x' } }), deps())).toThrow(ConfigError);
    });

    it('when the grade, lead source and owner are mapped, then Rating, LeadSource and OwnerId follow them', async () => {
        const decision = { ...makeDecision(), score: { points: 40, grade: 'C', breakdown: [] } };
        const owner = { personId: 'jana', displayName: 'Jana Novak', id: '005000000000001AAA' };
        await createSalesforceTarget('sf', config({ leadSource: 'Partner Referral' }), deps()).deliver(
            makeRequest('sf', { decision, owner }),
        );
        expect(fake.leads[0]!.fields).toMatchObject({
            Rating: 'Cold',
            LeadSource: 'Partner Referral',
            OwnerId: '005000000000001AAA',
        });
        fake.leads.length = 0;
        await createSalesforceTarget('sf', config({ quality: false }), deps()).deliver(makeRequest('sf'));
        expect(fake.leads[0]!.fields.Rating).toBeUndefined();
    });

    it('when Salesforce refuses the owner (a deactivated user, an id that is no user), then the Lead is written without it and the note says why', async () => {
        fake.inactiveOwners.add('005000000000009AAA');
        const target = createSalesforceTarget('sf', config({}), deps());
        const inactive = { personId: 'emea-9', displayName: 'Left', id: '005000000000009AAA' };
        const result = await target.deliver(makeRequest('sf', { owner: inactive }));
        expect(result.note).toContain('owner emea-9 refused (INACTIVE_OWNER_OR_USER): written without it');
        // Without the pipeline's owner, the org's assignment rule gives the new Lead its owner.
        expect(fake.leads[0]!.fields.OwnerId).toBe(fake.assignmentRuleOwner);
        fake.leads.length = 0;
        const unknown = { personId: 'emea-8', displayName: 'Typo', id: '005000000000008AAA' };
        const again = await target.deliver(makeRequest('sf', { owner: unknown }));
        expect(again.note).toContain('owner emea-8 refused (INVALID_CROSS_REFERENCE_KEY): written without it');
        expect(fake.leads).toHaveLength(1);
    });

    it('when sales works the Lead (its Status leaves Open - Not Contacted, or it is converted), then its status says so', async () => {
        const target = createSalesforceTarget('sf', config({}), deps());
        const request = makeRequest('sf');
        expect(await target.leadStatus!(request)).toBeUndefined();
        await target.deliver(request);
        expect(await target.leadStatus!(request)).toEqual({ status: 'Open - Not Contacted', worked: false });
        fake.leads[0]!.fields.Status = 'Working - Contacted';
        expect(await target.leadStatus!(request)).toEqual({ status: 'Working - Contacted', worked: true });
        fake.leads[0]!.fields.IsConverted = true;
        expect(await target.leadStatus!(request)).toEqual({ status: 'Converted', worked: true });
    });

    it('when answers are lost after Salesforce acted and the call is sent again, then there is one Lead, one task and one campaign member', async () => {
        fake.campaigns.add('701000000000001AAA');
        const target = createSalesforceTarget('sf', config({ campaigns: { spring: '701000000000001AAA' } }), deps());
        for (const lost of ['PATCH', '/sobjects/Task', '/sobjects/CampaignMember']) {
            fake.server.loseAnswer((r) => r.method === lost || r.pathname.endsWith(lost));
            await expect(target.deliver(makeRequest('sf'))).rejects.toMatchObject({ name: 'TransientError' });
        }
        const last = await target.deliver(makeRequest('sf'));

        expect(last.action).toBe('updated');
        expect(fake.leads).toHaveLength(1);
        expect(fake.tasks).toHaveLength(1);
        expect(fake.campaignMembers).toHaveLength(1);
    });

    it('when the session has expired, then the token is refreshed once and the call repeated', async () => {
        const target = createSalesforceTarget('sf', config({ createTask: false }), deps());
        await target.deliver(makeRequest('sf'));
        fake.sessions.clear();
        const again = await target.deliver(makeRequest('sf'));
        expect(again.action).toBe('updated');
        const tokens = fake.server.requests.filter((r) => r.pathname === '/services/oauth2/token');
        expect(tokens).toHaveLength(2);
        // read + upsert, then the refused read, the read again with the new session, the upsert
        expect(dataCalls()).toHaveLength(5);
    });

    it('when the API allocation is exhausted, then the error is transient with the long retry', async () => {
        fake.override = (req, res) => {
            if (req.method !== 'PATCH') return false;
            sendJson(res, 403, [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
            return true;
        };
        const error = (await createSalesforceTarget('sf', config({ requestLimitRetryMinutes: 30 }), deps())
            .deliver(makeRequest('sf'))
            .catch((e: unknown) => e)) as TransientError;
        expect(error).toBeInstanceOf(TransientError);
        expect(error.details).toEqual({ status: 403, code: 'REQUEST_LIMIT_EXCEEDED', retryAfterMs: 1_800_000 });
    });

    it('when a duplicate rule blocks the lead, then it fails permanently, or saves when allowSave is configured', async () => {
        fake.duplicateRule = true;
        fake.leads.push({
            Id: '00Q000000000000099',
            fields: { Email: 'ada@contoso.example', [sfExternalIdField]: 'other' },
        });
        const error = (await createSalesforceTarget('sf', config(), deps())
            .deliver(makeRequest('sf'))
            .catch((e: unknown) => e)) as PermanentError;
        expect(error).toBeInstanceOf(PermanentError);
        expect(error.details).toEqual({ status: 400, code: 'DUPLICATES_DETECTED' });

        fake.server.requests.length = 0;
        const saved = await createSalesforceTarget('sf', config({ duplicateRule: 'allowSave' }), deps()).deliver(
            makeRequest('sf'),
        );
        expect(saved.action).toBe('created');
        const patches = dataCalls().filter((c) => c.method === 'PATCH');
        expect(patches).toHaveLength(2);
        expect(patches[1]!.headers['sforce-duplicate-rule-header']).toBe('allowSave=true');
    });

    it('when the external id matches several leads or a required field is missing, then the error is permanent', async () => {
        fake.leads.push(
            { Id: 'a', fields: { [sfExternalIdField]: 'pk-ada-offer' } },
            { Id: 'b', fields: { [sfExternalIdField]: 'pk-ada-offer' } },
        );
        await expect(createSalesforceTarget('sf', config(), deps()).deliver(makeRequest('sf'))).rejects.toMatchObject({
            name: 'PermanentError',
            details: { status: 300, code: 'MULTIPLE_MATCHES' },
        });
        fake.leads.length = 0;
        const target = createSalesforceTarget('sf', config({}, { Company: '' }), deps());
        await expect(target.deliver(makeRequest('sf'))).rejects.toMatchObject({
            details: { code: 'REQUIRED_FIELD_MISSING' },
        });
    });

    it('when the client secret is wrong, then the token error is permanent; a 503 or a reset is transient', async () => {
        await expect(
            createSalesforceTarget('sf', config(), deps('bad')).deliver(makeRequest('sf')),
        ).rejects.toMatchObject({
            name: 'PermanentError',
            details: { code: 'invalid_client' },
        });
        fake.override = (req, res) => {
            if (req.method !== 'PATCH') return false;
            sendJson(res, 503, [{ errorCode: 'SERVER_UNAVAILABLE', message: 'down' }], { 'retry-after': '5' });
            return true;
        };
        const target = createSalesforceTarget('sf', config(), deps());
        await expect(target.deliver(makeRequest('sf'))).rejects.toMatchObject({
            name: 'TransientError',
            details: { status: 503, code: 'SERVER_UNAVAILABLE', retryAfterMs: 5000 },
        });
        // The Retry-After paused the target's budget: the next delivery waits without calling Salesforce.
        const calls = dataCalls().length;
        await expect(target.deliver(makeRequest('sf'))).rejects.toMatchObject({ details: { code: 'rate-governor' } });
        expect(dataCalls()).toHaveLength(calls);
        fake.override = (req, res) => {
            if (req.method !== 'PATCH') return false;
            resetConnection(res);
            return true;
        };
        await expect(createSalesforceTarget('sf', config(), deps()).deliver(makeRequest('sf'))).rejects.toMatchObject({
            name: 'TransientError',
            details: { code: 'network' },
        });
    });

    describe('Web-to-Lead mode', () => {
        const webToLead = (extra: Record<string, unknown> = {}) =>
            config({
                mode: 'web-to-lead',
                oid: '%SF_OID%',
                webToLeadUrl: `${fake.server.url}/servlet/servlet.WebToLead?encoding=UTF-8`,
                ...extra,
            });

        it('when configured, then the documented form is posted with the org id and the result says sent, not a record', async () => {
            const result = await createSalesforceTarget('sfw', webToLead(), deps()).deliver(makeRequest('sfw'));
            expect(result).toMatchObject({ action: 'sent', status: 200 });
            expect(result.note).toContain('not proof of a lead');
            expect(result.externalId).toBeUndefined();
            expect(fake.server.requests[0]!.path).toBe('/servlet/servlet.WebToLead?encoding=UTF-8');
            expect(Object.fromEntries(fake.webToLead[0]!)).toMatchObject({
                oid: '00D000000000001',
                first_name: 'Augusta',
                last_name: 'Lovelace',
                email: 'ada@contoso.example',
                company: 'Contoso',
                lead_source: 'Web',
            });
        });

        it('when values are longer than the Lead’s fields, then the form carries them cut to those sizes', async () => {
            const lead = makeLead({
                contact: { ...makeLead().contact, company: 'c'.repeat(300), lastName: 'l'.repeat(90) },
            });
            await createSalesforceTarget('sfw', webToLead(), deps()).deliver(makeRequest('sfw', { lead }));
            const form = fake.webToLead[0]!;
            expect([form.get('company')!.length, form.get('last_name')!.length]).toEqual([255, 80]);
        });

        it('when the org id option is called orgId or is not an org id, then it is read or refused at start', () => {
            expect(() =>
                createSalesforceTarget('sfw', webToLead({ oid: undefined, orgId: '00D000000000001' }), deps()),
            ).not.toThrow();
            expect(() => createSalesforceTarget('sfw', webToLead({ oid: 'contoso' }), deps())).toThrow(ConfigError);
        });

        it('when reCAPTCHA or a restricted picklist drops the lead, then Salesforce still answers 200: the mode cannot tell', async () => {
            fake.webToLeadRecaptcha = true;
            const result = await createSalesforceTarget('sfw', webToLead(), deps()).deliver(makeRequest('sfw'));
            expect(result.status).toBe(200);
            expect(fake.webToLead).toHaveLength(0);
            expect(fake.webToLeadDropped).toHaveLength(1);
        });
    });

    it('when options are missing, then one ConfigError lists them all', () => {
        try {
            createSalesforceTarget('sf', config({ externalIdField: 'bad field!' }), makeDeps({}));
            throw new Error('built');
        } catch (err) {
            expect(err).toBeInstanceOf(ConfigError);
            expect((err as ConfigError).problems.map((p) => p.path)).toEqual([
                'targets.sf.options.loginUrl',
                'targets.sf.options.clientId',
                'targets.sf.options.clientSecret',
                'targets.sf.options.externalIdField',
            ]);
        }
    });

    it('when health is checked by the minimal API user, then it passes with what a delivery needs and reports the day’s API usage', async () => {
        const health = await createSalesforceTarget('sf', config(), deps()).checkHealth(
            new Date('2026-11-20T00:00:00Z'),
        );
        expect(health).toMatchObject({
            ok: true,
            message: expect.stringMatching(/^API requests used today: \d+ of 15000$/),
        });
        expect(dataCalls().map((c) => `${c.method} ${c.pathname}`)).toEqual(['GET /services/data/v62.0/query']);
        expect(dataCalls()[0]!.query.get('q')).toBe(
            `SELECT Id FROM Lead WHERE ${sfExternalIdField} = '__health_check__' LIMIT 1`,
        );
        const bad = await createSalesforceTarget('sf', config(), deps('bad')).checkHealth(new Date());
        expect(bad.ok).toBe(false);
        const wrongField = await createSalesforceTarget(
            'sf',
            config({ externalIdField: 'Nope__c' }),
            deps(),
        ).checkHealth(new Date());
        expect(wrongField).toMatchObject({ ok: false, message: expect.stringContaining('INVALID_FIELD') });
    });
});
