import { createHubSpotTarget } from '../../shared/adapters/hubspot/createHubSpotTarget';
import { ConfigError, PermanentError, TransientError } from '../../shared/domain/errors';
import type { TargetConfig } from '../../shared/domain/TargetConfig';
import { InMemoryRateGovernor } from '../fakes/InMemoryRateGovernor';
import { type FakeHubSpot, startFakeHubSpot } from './fakes/fakeHubSpot';
import { resetConnection, sendJson } from './support/fakeServer';
import { expectNoPersonalData, makeDeps, makeLead, makeRequest } from './support/fixtures';

const config = (extra: Record<string, unknown> = {}): TargetConfig => ({
    type: 'hubspot',
    role: 'outreach',
    enabled: 'auto',
    options: { token: '%HUBSPOT_TOKEN%', baseUrl: '%HUBSPOT_URL%', ...extra },
    mapping: { marketplace_grade: 'grade', marketplace_offer: 'offer' },
});

describe('HubSpot target against a fake HubSpot CRM v3', () => {
    let fake: FakeHubSpot;
    beforeAll(async () => {
        fake = await startFakeHubSpot('pat-good');
    });
    afterAll(() => fake.server.close());
    beforeEach(() => {
        fake.override = undefined;
        fake.contacts.clear();
        fake.notes.clear();
        fake.owners = new Set(['81234567']);
        fake.server.requests.length = 0;
    });
    const deps = () => makeDeps({ HUBSPOT_TOKEN: 'pat-good', HUBSPOT_URL: fake.server.url });

    it('when a lead is delivered, then it upserts the contact by email with the mapped properties and adds one note', async () => {
        const d = deps();
        const target = createHubSpotTarget('hubspotSales', config(), d);
        const result = await target.deliver(makeRequest('hubspotSales'));

        expect(result).toMatchObject({ action: 'created', status: 200 });
        const [upsert, created, note] = fake.server.requests;
        expect(upsert).toMatchObject({ method: 'POST', path: '/crm/v3/objects/contacts/batch/upsert' });
        expect(upsert!.headers.authorization).toBe('Bearer pat-good');
        expect(upsert!.headers['content-type']).toBe('application/json');
        expect(upsert!.json).toEqual({
            inputs: [
                {
                    idProperty: 'email',
                    id: 'ada@contoso.example',
                    properties: {
                        email: 'ada@contoso.example',
                        firstname: 'Augusta',
                        lastname: 'Lovelace',
                        phone: '+14255550100',
                        company: 'Contoso',
                        jobtitle: 'CTO',
                        country: 'US',
                        marketplace_grade: 'A',
                        marketplace_offer: 'Contoso Analytics',
                    },
                },
            ],
        });
        // A new contact starts with HubSpot's default status and the grade's lifecycle stage.
        expect(created).toMatchObject({ method: 'PATCH', path: `/crm/v3/objects/contacts/${result.externalId}` });
        expect(created!.json).toEqual({ properties: { hs_lead_status: 'NEW', lifecyclestage: 'salesqualifiedlead' } });
        expect(note).toMatchObject({ method: 'POST', path: '/crm/v3/objects/notes' });
        expect(note!.json.associations).toEqual([
            {
                to: { id: result.externalId },
                types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 202 }],
            },
        ]);
        expect(note!.json.properties.hs_timestamp).toBe('2026-11-20T10:00:00.000Z');
        expect(note!.json.properties.hs_note_body).toContain('<b>Grade:</b> A');
        expect(fake.server.requests).toHaveLength(3);
        expectNoPersonalData(JSON.stringify(d.logs));
    });

    it('when the same delivery is retried, then the contact is updated, not duplicated, and no second note is added', async () => {
        const target = createHubSpotTarget('hubspotSales', config(), deps());
        const first = await target.deliver(makeRequest('hubspotSales'));
        const again = await target.deliver(makeRequest('hubspotSales', { attempt: 2 }));

        expect(again).toMatchObject({ action: 'updated', externalId: first.externalId });
        expect(fake.contacts.size).toBe(1);
        expect(fake.notes.size).toBe(1);
        expect(again.note).toContain('note already present');
    });

    it('when sales moves the contact this delivery created on from NEW, then its lead status reads as worked', async () => {
        const target = createHubSpotTarget('hubspotSales', config(), deps());
        const request = makeRequest('hubspotSales');
        const created = await target.deliver(request);
        const id = created.externalId!;
        expect(created.action).toBe('created');

        expect(await target.leadStatus!(request, id)).toEqual({ status: 'NEW', worked: false });
        fake.contacts.get([...fake.contacts.keys()][0]!)!.properties.hs_lead_status = 'IN_PROGRESS';
        expect(await target.leadStatus!(request, id)).toEqual({ status: 'IN_PROGRESS', worked: true });
        // No stored id, a contact that is gone, or no starting status configured: nothing to compare.
        expect(await target.leadStatus!(request)).toBeUndefined();
        expect(await target.leadStatus!(request, '999999')).toBeUndefined();
        const noStart = createHubSpotTarget('hubspotSales', config({ createProperties: {} }), deps());
        expect(await noStart.leadStatus!(request, id)).toBeUndefined();
    });

    it('when the same person sends a second lead for the offer, then the one contact is updated and gets a second note', async () => {
        const target = createHubSpotTarget('hubspotSales', config(), deps());
        const first = await target.deliver(makeRequest('hubspotSales'));
        const second = makeRequest('hubspotSales', {
            lead: makeLead({ leadKey: 'lk-0002', contact: { ...makeLead().contact, email: 'ADA@contoso.example' } }),
            idempotencyKey: 'lk-0002:hubspotSales',
        });
        const result = await target.deliver(second);

        expect(result).toMatchObject({ action: 'updated', externalId: first.externalId });
        expect(fake.contacts.size).toBe(1);
        expect(fake.notes.size).toBe(2);
    });

    describe('note de-duplication on a contact with many notes', () => {
        const assocPath = (contactId: string) => `/crm/v4/objects/contacts/${contactId}/associations/notes`;
        const batchReads = () => fake.server.requests.filter((r) => r.pathname === '/crm/v3/objects/notes/batch/read');
        const filler = (n: number) => Array.from({ length: n }, (_, i) => `<p>Call log ${i}</p>`);
        const otherLead = () =>
            makeRequest('hubspotSales', {
                lead: makeLead({ leadKey: 'lk-0009' }),
                idempotencyKey: 'lk-0009:hubspotSales',
            });
        /** A contact that already has an unrelated lead's note followed by `fillers` more notes. */
        const busyContact = async (fillers: number) => {
            const first = await createHubSpotTarget('hubspotSales', config(), deps()).deliver(otherLead());
            fake.addNotes(first.externalId!, filler(fillers));
            fake.server.requests.length = 0;
            return first.externalId!;
        };

        it('when the marker note is on a later association page, then the retry finds it and adds no second note', async () => {
            const contactId = await busyContact(600);
            const target = createHubSpotTarget('hubspotSales', config(), deps());
            await target.deliver(makeRequest('hubspotSales'));
            const notesBefore = fake.notes.size;
            fake.server.requests.length = 0;

            const again = await target.deliver(makeRequest('hubspotSales', { attempt: 2 }));

            expect(again.note).toContain('note already present');
            expect(fake.notes.size).toBe(notesBefore);
            const pages = fake.server.requests.filter((r) => r.pathname === assocPath(contactId));
            expect(pages).toHaveLength(2);
            expect(pages[0]!.query.get('limit')).toBe('500');
            expect(pages[0]!.query.get('after')).toBeNull();
            expect(pages[1]!.query.get('after')).toBeTruthy();
            expect(fake.server.requests.some((r) => r.pathname === '/crm/v3/objects/notes')).toBe(false);
        });

        it('when the contact has more than 100 notes, then the notes are batch-read in chunks of at most 100', async () => {
            await busyContact(249);
            const second = makeRequest('hubspotSales', {
                lead: makeLead({ leadKey: 'lk-0002' }),
                idempotencyKey: 'lk-0002:hubspotSales',
            });

            const result = await createHubSpotTarget('hubspotSales', config(), deps()).deliver(second);

            expect(result.note).toBe('contact upserted; note added');
            expect(batchReads().map((r) => r.json.inputs.length)).toEqual([100, 100, 50]);
            expect(batchReads()[0]!.json.properties).toEqual(['hs_note_body']);
        });

        it('when the marker is absent across every page, then the note is created once and a retry keeps it at one', async () => {
            const contactId = await busyContact(34);
            fake.associationPageSize = 10;
            const notesBefore = fake.notes.size;
            const target = createHubSpotTarget('hubspotSales', config(), deps());
            try {
                const first = await target.deliver(makeRequest('hubspotSales'));
                const pagesRead = fake.server.requests.filter((r) => r.pathname === assocPath(contactId)).length;
                const again = await target.deliver(makeRequest('hubspotSales', { attempt: 2 }));

                expect(first.note).toBe('contact upserted; note added');
                expect(pagesRead).toBe(4);
                expect(again.note).toContain('note already present');
                expect(fake.notes.size).toBe(notesBefore + 1);
            } finally {
                fake.associationPageSize = undefined;
            }
        });

        it('when the contact has more notes than the lookup bound, then the note is added anyway and the bound is logged without personal data', async () => {
            const contactId = await busyContact(205);
            fake.associationPageSize = 10; // 20 pages (the bound) cover 200 of the 206 notes
            const d = deps();
            const target = createHubSpotTarget('hubspotSales', config(), d);
            try {
                await target.deliver(makeRequest('hubspotSales'));
                const notesBefore = fake.notes.size;
                fake.server.requests.length = 0;
                const again = await target.deliver(makeRequest('hubspotSales', { attempt: 2 }));

                // The marker note sits past the bound: a duplicate note is preferred to a lost one.
                expect(again.note).toContain('duplicate check stopped after 200 notes');
                expect(fake.notes.size).toBe(notesBefore + 1);
                expect(fake.server.requests.filter((r) => r.pathname === assocPath(contactId))).toHaveLength(20);
                const warnings = d.logs.filter((l) => l.level === 'warn');
                expect(warnings.map((w) => w.data)).toEqual([
                    { target: 'hubspotSales', contactId, pages: 20, notesRead: 200 },
                    { target: 'hubspotSales', contactId, pages: 20, notesRead: 200 },
                ]);
                expectNoPersonalData(JSON.stringify(d.logs));
            } finally {
                fake.associationPageSize = undefined;
            }
        });

        it('when the association read is throttled, then the delivery fails transiently with the HubSpot delay', async () => {
            const contactId = await busyContact(3);
            fake.override = (req, res) => {
                if (req.pathname !== assocPath(contactId)) return false;
                sendJson(res, 429, { status: 'error', policyName: 'TEN_SECONDLY_ROLLING' }, { 'retry-after': '2' });
                return true;
            };
            const error = await createHubSpotTarget('hubspotSales', config(), deps())
                .deliver(makeRequest('hubspotSales'))
                .catch((e: unknown) => e);

            expect(error).toBeInstanceOf(TransientError);
            expect((error as TransientError).details).toMatchObject({ status: 429, retryAfterMs: 2000 });
            expect(fake.server.requests.some((r) => r.pathname === '/crm/v3/objects/notes')).toBe(false);
        });
    });

    it('when HubSpot answers 429 with Retry-After, then the error is transient with that delay', async () => {
        fake.override = (_req, res) => {
            sendJson(
                res,
                429,
                {
                    status: 'error',
                    message: 'You have reached your ten_secondly_rolling limit.',
                    errorType: 'RATE_LIMIT',
                    policyName: 'TEN_SECONDLY_ROLLING',
                },
                {
                    'retry-after': '3',
                    'x-hubspot-ratelimit-interval-milliseconds': '10000',
                    'x-hubspot-ratelimit-remaining': '0',
                },
            );
            return true;
        };
        const error = await createHubSpotTarget('h', config(), deps())
            .deliver(makeRequest('h'))
            .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(TransientError);
        expect((error as TransientError).details).toMatchObject({
            status: 429,
            retryAfterMs: 3000,
            code: 'TEN_SECONDLY_ROLLING',
        });
    });

    it('when HubSpot answers 429 without Retry-After, then the rate-limit interval header gives the delay', async () => {
        fake.override = (_req, res) => {
            sendJson(
                res,
                429,
                { status: 'error', policyName: 'TEN_SECONDLY_ROLLING' },
                { 'x-hubspot-ratelimit-interval-milliseconds': '10000' },
            );
            return true;
        };
        const error = (await createHubSpotTarget('h', config(), deps())
            .deliver(makeRequest('h'))
            .catch((e: unknown) => e)) as TransientError;
        expect(error.details.retryAfterMs).toBe(10000);
    });

    it('when the daily limit is exhausted, then the retry waits an hour', async () => {
        fake.override = (_req, res) => {
            sendJson(
                res,
                429,
                { status: 'error', policyName: 'DAILY' },
                { 'x-hubspot-ratelimit-daily-remaining': '0' },
            );
            return true;
        };
        const error = (await createHubSpotTarget('h', config(), deps())
            .deliver(makeRequest('h'))
            .catch((e: unknown) => e)) as TransientError;
        expect(error.details.retryAfterMs).toBe(3_600_000);
    });

    it('when the token is rejected or a property is invalid, then the error is permanent with the HubSpot category', async () => {
        const bad = createHubSpotTarget(
            'h',
            config(),
            makeDeps({ HUBSPOT_TOKEN: 'pat-revoked', HUBSPOT_URL: fake.server.url }),
        );
        await expect(bad.deliver(makeRequest('h'))).rejects.toMatchObject({
            name: 'PermanentError',
            details: { status: 401 },
        });

        // A mapped property the portal does not have: HubSpot's own validation answer, not a scripted one.
        const error = await createHubSpotTarget('h', { ...config(), mapping: { not_a_property: 'grade' } }, deps())
            .deliver(makeRequest('h'))
            .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(PermanentError);
        expect((error as PermanentError).details.code).toBe('VALIDATION_ERROR');
        expectNoPersonalData((error as Error).message);
    });

    it('when the connection is reset or the server hangs, then the error is transient', async () => {
        fake.override = (_req, res) => {
            resetConnection(res);
            return true;
        };
        await expect(createHubSpotTarget('h', config(), deps()).deliver(makeRequest('h'))).rejects.toMatchObject({
            name: 'TransientError',
            details: { code: 'network' },
        });
        fake.override = () => true; // never answers
        await expect(
            createHubSpotTarget('h', config({ timeoutMs: 1000 }), deps()).deliver(makeRequest('h')),
        ).rejects.toMatchObject({ name: 'TransientError', details: { code: 'timeout' } });
    });

    it('when the target budget is spent, then the delivery waits on the governor instead of calling HubSpot', async () => {
        const d = makeDeps(
            { HUBSPOT_TOKEN: 'pat-good', HUBSPOT_URL: fake.server.url },
            { rateGovernor: new InMemoryRateGovernor({ now: () => new Date(), maxWaitMs: 0 }) },
        );
        const limited = {
            ...config({ createNote: false, createProperties: {}, quality: false }),
            rateLimit: { requests: 1, perSeconds: 3600 },
        };
        await createHubSpotTarget('h', limited, d).deliver(makeRequest('h'));
        const error = (await createHubSpotTarget('h', limited, d)
            .deliver(makeRequest('h'))
            .catch((e: unknown) => e)) as TransientError;
        expect(error).toBeInstanceOf(TransientError);
        expect(error.details.code).toBe('rate-governor');
        expect(error.details.retryAfterMs).toBeGreaterThan(0);
        expect(fake.server.requests).toHaveLength(1);
    });

    it('when the lead has no email and the id property is email, then the delivery fails permanently', async () => {
        const lead = makeLead({ contact: { ...makeLead().contact, email: undefined } });
        await expect(
            createHubSpotTarget('h', config(), deps()).deliver(makeRequest('h', { lead })),
        ).rejects.toMatchObject({ name: 'PermanentError', details: { code: 'missing-email' } });
    });

    it('when a custom unique id property is configured, then the person key is the upsert id', async () => {
        const target = createHubSpotTarget('h', config({ idProperty: 'marketplace_person_key' }), deps());
        await target.deliver(makeRequest('h'));
        const upsert = fake.server.requests[0]!.json.inputs[0];
        expect(upsert.idProperty).toBe('marketplace_person_key');
        expect(upsert.id).toBe('pk-ada-offer');
        expect(upsert.properties.marketplace_person_key).toBe('pk-ada-offer');
    });

    it('when the settings are missing and the mapping names an unknown field, then one ConfigError lists both', () => {
        const build = () =>
            createHubSpotTarget(
                'h',
                { ...config(), mapping: { x: 'favouriteColour' } },
                makeDeps({ HUBSPOT_URL: 'http://127.0.0.1:1' }),
            );
        expect(build).toThrow(ConfigError);
        try {
            build();
        } catch (err) {
            const paths = (err as ConfigError).problems.map((p) => p.path);
            expect(paths).toEqual(['targets.h.options.token', 'targets.h.mapping.x']);
        }
    });

    it('when health is checked, then it reads without writing and reports a rejected token', async () => {
        const now = new Date('2026-11-20T00:00:00Z');
        const ok = await createHubSpotTarget('h', config({ credentialExpiresAt: '2027-06-01' }), deps()).checkHealth(
            now,
        );
        expect(ok).toMatchObject({ ok: true, type: 'hubspot', credentialExpiresAt: '2027-06-01T00:00:00.000Z' });
        expect(fake.server.requests.every((r) => r.method === 'GET')).toBe(true);
        const bad = await createHubSpotTarget(
            'h',
            config(),
            makeDeps({ HUBSPOT_TOKEN: 'nope', HUBSPOT_URL: fake.server.url }),
        ).checkHealth(now);
        expect(bad).toMatchObject({ ok: false });
        expect(bad.message).toContain('401');
    });
    describe('the contact and note as HubSpot really takes them', () => {
        const rawPost = (path: string, body: unknown) =>
            fetch(`${fake.server.url}${path}`, {
                method: 'POST',
                headers: { authorization: 'Bearer pat-good', 'content-type': 'application/json' },
                body: JSON.stringify(body),
            });

        it('when the customer’s message is long and full of characters HTML escapes, then the note still fits 65,536 characters and keeps the marker', async () => {
            const message = '<'.repeat(32_000);
            const lead = makeLead({ description: { raw: message, notes: message } });
            const result = await createHubSpotTarget('h', config(), deps()).deliver(makeRequest('h', { lead }));

            expect(result.action).toBe('created');
            const [note] = [...fake.notes.values()];
            expect(note!.body.length).toBeLessThanOrEqual(65_536);
            expect(note!.body).toMatch(/Ref: lp-[0-9a-f]{16}/);
            expect(note!.body).toContain('cut to fit');
            expect(note!.body).not.toMatch(/&[a-z]*…/);
        });

        it('when HubSpot’s documented rules are broken, then the fake refuses as HubSpot does: no hs_timestamp, a non-string value, over 100 inputs, no propertiesWithHistory', async () => {
            const contact = (await createHubSpotTarget('h', config(), deps()).deliver(makeRequest('h'))).externalId!;
            const association = [
                { to: { id: contact }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 202 }] },
            ];
            const noTimestamp = await rawPost('/crm/v3/objects/notes', {
                properties: { hs_note_body: 'x' },
                associations: association,
            });
            const numeric = await rawPost('/crm/v3/objects/contacts/batch/upsert', {
                inputs: [
                    {
                        idProperty: 'email',
                        id: 'a@b.example',
                        properties: { email: 'a@b.example', marketplace_grade: 3 },
                    },
                ],
            });
            const tooMany = await rawPost('/crm/v3/objects/contacts/batch/upsert', {
                inputs: Array.from({ length: 101 }, (_, i) => ({
                    idProperty: 'email',
                    id: `${i}@b.example`,
                    properties: {},
                })),
            });
            const noHistory = await rawPost('/crm/v3/objects/notes/batch/read', {
                properties: ['hs_note_body'],
                inputs: [],
            });
            expect([noTimestamp.status, numeric.status, tooMany.status, noHistory.status]).toEqual([
                400, 400, 400, 400,
            ]);
        });

        it('when a mapped value is a number, then it is sent as the string the API takes', async () => {
            await createHubSpotTarget('h', { ...config(), mapping: { marketplace_grade: 'score' } }, deps()).deliver(
                makeRequest('h'),
            );
            const upsert = fake.server.requests.find((r) => r.pathname.endsWith('/batch/upsert'))!;
            expect(upsert.json.inputs[0].properties.marketplace_grade).toBe('72');
        });

        it('when the person comes back, then the status and stage sales set are kept; a new contact gets the grade’s stage, and a portal without those options still gets the lead', async () => {
            const target = createHubSpotTarget('h', config(), deps());
            const first = await target.deliver(makeRequest('h'));
            const contact = [...fake.contacts.values()][0]!;
            expect(contact.properties).toMatchObject({ hs_lead_status: 'NEW', lifecyclestage: 'salesqualifiedlead' });
            Object.assign(contact.properties, { hs_lead_status: 'IN_PROGRESS', lifecyclestage: 'opportunity' });

            const again = await target.deliver(
                makeRequest('h', { lead: makeLead({ leadKey: 'lk-0002' }), idempotencyKey: 'lk-0002:h' }),
            );

            expect(again).toMatchObject({ action: 'updated', externalId: first.externalId });
            expect(contact.properties).toMatchObject({ hs_lead_status: 'IN_PROGRESS', lifecyclestage: 'opportunity' });
            const custom = createHubSpotTarget('h', config({ quality: { values: { A: 'customer_success' } } }), deps());
            const other = makeLead({
                leadKey: 'lk-0003',
                contact: { ...makeLead().contact, email: 'b@contoso.example' },
            });
            const refused = await custom.deliver(makeRequest('h', { lead: other, idempotencyKey: 'lk-0003:h' }));
            expect(refused.action).toBe('created');
            expect(refused.note).toContain('refused (VALIDATION_ERROR)');
            expect(fake.notes.size).toBe(3);
        });

        it('when the pipeline decided an owner, then the contact and the note carry hubspot_owner_id; an owner HubSpot does not know never fails the delivery', async () => {
            const owner = { personId: 'jana', displayName: 'Jana Novak', id: '81234567' };
            await createHubSpotTarget('h', config(), deps()).deliver(makeRequest('h', { owner }));
            expect([...fake.contacts.values()][0]!.properties.hubspot_owner_id).toBe('81234567');
            expect([...fake.notes.values()][0]!.properties.hubspot_owner_id).toBe('81234567');
            expect([...fake.notes.values()][0]!.body).toContain('<b>Owner:</b> Jana Novak');

            fake.owners.clear();
            const result = await createHubSpotTarget('h', config(), deps()).deliver(
                makeRequest('h', { owner, lead: makeLead({ leadKey: 'lk-0002' }), idempotencyKey: 'lk-0002:h' }),
            );
            expect(result.note).toContain('written without owner');
            expect(fake.notes.size).toBe(2);
        });

        it('when the answer to the upsert or to the note is lost and the call is sent again, then there is one contact and one note', async () => {
            const target = createHubSpotTarget('h', config(), deps());
            fake.server.loseAnswer((r) => r.pathname.endsWith('/batch/upsert'));
            await expect(target.deliver(makeRequest('h'))).rejects.toMatchObject({ name: 'TransientError' });
            fake.server.loseAnswer((r) => r.pathname === '/crm/v3/objects/notes');
            await expect(target.deliver(makeRequest('h', { attempt: 2 }))).rejects.toMatchObject({
                name: 'TransientError',
            });

            const third = await target.deliver(makeRequest('h', { attempt: 3 }));

            expect(third.note).toContain('note already present');
            expect(fake.contacts.size).toBe(1);
            expect(fake.notes.size).toBe(1);
        });
    });
});
