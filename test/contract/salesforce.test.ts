import { generateKeyPairSync } from 'node:crypto';

import { clearSharedTokenCaches } from '../../shared/adapters/crmKit/TokenCache';
import { createSalesforceTarget } from '../../shared/adapters/salesforce/createSalesforceTarget';
import { ConfigError, PermanentError, TransientError } from '../../shared/domain/errors';
import type { TargetConfig } from '../../shared/domain/TargetConfig';
import { type FakeSalesforce, sfExternalIdField, startFakeSalesforce } from './fakes/fakeSalesforce';
import { resetConnection, sendJson } from './support/fakeServer';
import { expectNoPersonalData, makeDeps, makeLead, makeRequest } from './support/fixtures';

const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const privateKey = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const publicKey = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();

const config = (extra: Record<string, unknown> = {}): TargetConfig => ({
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
        fake.webToLead.length = 0;
        fake.duplicateRule = false;
        fake.server.requests.length = 0;
    });
    const deps = (secret = 'csecret') =>
        makeDeps({
            SF_LOGIN: fake.server.url,
            SF_CLIENT: 'cid',
            SF_SECRET: secret,
            SF_KEY: privateKey,
            SF_OID: '00D000000000001',
        });
    const dataCalls = () => fake.server.requests.filter((r) => r.pathname.startsWith('/services/data/'));

    it('when a lead is delivered, then the client-credentials token is used to upsert Lead by the person key', async () => {
        const d = deps();
        const result = await createSalesforceTarget('sf', config(), d).deliver(makeRequest('sf'));

        expect(result).toEqual({ action: 'created', externalId: '00Q000000000000001', status: 201 });
        const [token, upsert] = fake.server.requests;
        expect(token).toMatchObject({ method: 'POST', pathname: '/services/oauth2/token' });
        expect(token!.headers['content-type']).toBe('application/x-www-form-urlencoded');
        expect(Object.fromEntries(new URLSearchParams(token!.body))).toEqual({
            grant_type: 'client_credentials',
            client_id: 'cid',
            client_secret: 'csecret',
        });
        expect(upsert).toMatchObject({
            method: 'PATCH',
            pathname: `/services/data/v62.0/sobjects/Lead/${sfExternalIdField}/pk-ada-offer`,
        });
        expect(upsert!.headers.authorization).toMatch(/^Bearer sf-tok-\d+$/);
        expect(upsert!.json).toEqual({
            FirstName: 'Augusta',
            LastName: 'Lovelace',
            Email: 'ada@contoso.example',
            Phone: '+14255550100',
            Company: 'Contoso',
            Title: 'CTO',
            Country: 'US',
            LeadSource: 'Web',
            Description: expect.stringContaining('Offer: Contoso Analytics'),
        });
        expectNoPersonalData(JSON.stringify(d.logs));
    });

    it('when the delivery is repeated or the person comes back, then the same Lead is updated', async () => {
        const target = createSalesforceTarget('sf', config(), deps());
        const first = await target.deliver(makeRequest('sf'));
        const retry = await target.deliver(makeRequest('sf', { attempt: 2 }));
        const journey = await target.deliver(
            makeRequest('sf', {
                lead: makeLead({ leadKey: 'lk-0009', action: { code: 'PLT', meaning: 'contact-me' } }),
            }),
        );
        expect(retry).toEqual({ action: 'updated', externalId: first.externalId, status: 200 });
        expect(journey).toMatchObject({ action: 'updated', externalId: first.externalId });
        expect(fake.leads).toHaveLength(1);
    });

    it('when the session has expired, then the token is refreshed once and the call repeated', async () => {
        const target = createSalesforceTarget('sf', config(), deps());
        await target.deliver(makeRequest('sf'));
        fake.sessions.clear();
        const again = await target.deliver(makeRequest('sf'));
        expect(again.action).toBe('updated');
        const tokens = fake.server.requests.filter((r) => r.pathname === '/services/oauth2/token');
        expect(tokens).toHaveLength(2);
        expect(dataCalls()).toHaveLength(3);
    });

    it('when the JWT bearer flow is configured, then a signed assertion obtains the token', async () => {
        const target = createSalesforceTarget(
            'sf',
            config({
                auth: 'jwt-bearer',
                clientSecret: undefined,
                username: 'api@contoso.example',
                privateKey: '%SF_KEY%',
            }),
            deps(),
        );
        await expect(target.deliver(makeRequest('sf'))).resolves.toMatchObject({ action: 'created' });
        const form = new URLSearchParams(fake.server.requests[0]!.body);
        expect(form.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
        const claims = JSON.parse(Buffer.from(form.get('assertion')!.split('.')[1]!, 'base64url').toString());
        expect(claims).toMatchObject({ iss: 'cid', sub: 'api@contoso.example', aud: fake.server.url });
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
        const patches = dataCalls();
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
        const target = createSalesforceTarget('sf', { ...config(), mapping: { Company: '' } }, deps());
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
        const shared = deps();
        const target = createSalesforceTarget('sf', config(), shared);
        await expect(target.deliver(makeRequest('sf'))).rejects.toMatchObject({
            name: 'TransientError',
            details: { status: 503, code: 'SERVER_UNAVAILABLE', retryAfterMs: 5000 },
        });
        // The Retry-After paused the target's budget: the next delivery waits without calling Salesforce.
        const patches = dataCalls().length;
        await expect(target.deliver(makeRequest('sf'))).rejects.toMatchObject({ details: { code: 'rate-governor' } });
        expect(dataCalls()).toHaveLength(patches);
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

    it('when Web-to-Lead mode is configured, then the form is posted with the org id and the result says sent', async () => {
        const target = createSalesforceTarget(
            'sfw',
            config({
                mode: 'web-to-lead',
                oid: '%SF_OID%',
                webToLeadUrl: `${fake.server.url}/servlet/servlet.WebToLead?encoding=UTF-8`,
            }),
            deps(),
        );
        const result = await target.deliver(makeRequest('sfw'));
        expect(result).toMatchObject({ action: 'sent', status: 200 });
        expect(result.externalId).toBeUndefined();
        const post = fake.server.requests[0]!;
        expect(post.path).toBe('/servlet/servlet.WebToLead?encoding=UTF-8');
        expect(Object.fromEntries(fake.webToLead[0]!)).toMatchObject({
            oid: '00D000000000001',
            first_name: 'Augusta',
            last_name: 'Lovelace',
            email: 'ada@contoso.example',
            company: 'Contoso',
            lead_source: 'AzureMarketplace-INS|contoso.analytics',
        });
    });

    it('when options are missing, then one ConfigError lists them all', () => {
        expect(() => createSalesforceTarget('sf', config({ externalIdField: 'bad field!' }), makeDeps({}))).toThrow(
            ConfigError,
        );
        try {
            createSalesforceTarget('sf', config({ externalIdField: 'bad field!' }), makeDeps({}));
        } catch (err) {
            expect((err as ConfigError).problems.map((p) => p.path)).toEqual([
                'targets.sf.options.loginUrl',
                'targets.sf.options.clientId',
                'targets.sf.options.clientSecret',
                'targets.sf.options.externalIdField',
            ]);
        }
    });

    it('when health is checked, then the limits resource is read and the remaining allocation reported', async () => {
        const health = await createSalesforceTarget('sf', config(), deps()).checkHealth(
            new Date('2026-11-20T00:00:00Z'),
        );
        expect(health).toMatchObject({ ok: true, message: 'API requests remaining today: 14990 of 15000' });
        expect(dataCalls().map((c) => `${c.method} ${c.pathname}`)).toEqual(['GET /services/data/v62.0/limits']);
        const bad = await createSalesforceTarget('sf', config(), deps('bad')).checkHealth(new Date());
        expect(bad.ok).toBe(false);
    });
});
