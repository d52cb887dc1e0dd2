/* eslint-disable @typescript-eslint/no-explicit-any -- API answers are loosely typed JSON */
import type { RecordedRequest } from '../contract/support/fakeServer';
import { selfSignedCertificate } from '../contract/support/selfSignedCertificate';
import { type StartedHost, startHost, waitFor } from '../support/host';
import {
    type AllTargetsFakes,
    holdNextHubSpotUpsert,
    rejectMarketoRecords,
    startAllTargetsFakes,
    throttleHubSpotOnce,
} from './support/allTargetsFakes';
import { api, getLead, postLead, ROOT, waitForFinal } from './support/pipelineHost';

/*
 * The compiled app on the embedded host (memory storage) with `test/fixtures/configs/all-targets.json`: one qualified
 * lead goes to Dynamics 365 (over HTTPS, Entra token), Salesforce, HubSpot, Marketo, Teams and the signed webhook,
 * all loopback fakes from `test/contract/fakes/`. HubSpot throttles once (429, Retry-After 1 s), Marketo skips the
 * record (1006, permanent). The tests run in order on that one lead: first delivery, forced redeliveries, redelivery
 * of what failed, then the fixed target.
 */

const person = {
    firstName: 'Augusta',
    lastName: 'Lovelace',
    email: 'augusta.lovelace@contoso.com',
    phone: '+44 20 7946 0991',
    company: 'Contoso Analytical Engines',
    title: 'Chief Technology Officer',
    country: 'United Kingdom',
};
const notes = 'Please call about the enterprise plan';
// The country is left out: it is not identifying on its own and may be logged as a routing fact.
const personalData = [
    person.firstName,
    person.lastName,
    person.email,
    person.phone,
    '7946 0991',
    person.company,
    person.title,
    notes,
];
const body = JSON.stringify({
    userDetails: person,
    actionCode: 'INS',
    offerTitle: 'Contoso Analytics',
    leadSource: 'AzureMarketplace-INS|contoso.contoso-analytics',
    description: notes,
});

/** Method and path (without query) of every request a fake received, token endpoints included. */
const calls = (requests: RecordedRequest[]) => requests.map((r) => `${r.method} ${r.pathname}`);
const byTarget = (lead: Record<string, any>): Record<string, any> =>
    Object.fromEntries((lead.deliveries as Record<string, any>[]).map((d) => [d.target as string, d]));

// MSAL only accepts an https authority, so Dynamics needs a certificate the host trusts; openssl makes it.
const certificate = selfSignedCertificate();
const withDynamics = certificate !== undefined;
const itWithDynamics = withDynamics ? it : it.skip;
if (!withDynamics) {
    console.warn(
        'openssl not found: the Dynamics 365 part of the all-targets e2e test is skipped (target unconfigured)',
    );
}

let fakes: AllTargetsFakes;
let host: StartedHost;

beforeAll(async () => {
    fakes = await startAllTargetsFakes(certificate);
    host = await startHost({ appDir: ROOT, storage: 'memory', env: fakes.hostEnv });
}, 60_000);

afterAll(async () => {
    await host?.stop();
    await fakes?.stop();
});

async function redeliver(leadId: string, target?: string): Promise<{ status: number; json: any }> {
    const query = target === undefined ? '' : `?target=${target}`;
    const res = await fetch(api(host, `leads/${leadId}/redeliver${query}`), { method: 'POST' });
    return { status: res.status, json: await res.json() };
}

/** Redelivery sets the lead to `delivering` before it answers 202, so the next final status is the redelivery's. */
async function redeliverAndWait(leadId: string, target?: string) {
    const started = await redeliver(leadId, target);
    expect(started.status).toBe(202);
    return { targets: started.json.targets as string[], lead: await waitForFinal(host, leadId, 30_000) };
}

describe('one qualified lead routed to every CRM and notification target on the local host', () => {
    let leadId: string;
    const ids: Record<string, string> = {};

    it('when HubSpot throttles once and Marketo rejects the record, then the stored lead tells exactly what happened', async () => {
        throttleHubSpotOnce(fakes.hubspot, 1);
        rejectMarketoRecords(fakes.marketo);

        const posted = await postLead(host, body);
        expect(posted.status).toBe(202);
        leadId = posted.leadId!;
        const lead = await waitForFinal(host, leadId, 40_000);
        const d = byTarget(lead);
        const personKey = lead.personKey as string;

        expect(lead.status).toBe('partially-delivered');
        expect(lead.qualification.outcome).toBe('qualified');

        // Webhook: one signed delivery; its answer's id is the external id.
        const hooks = fakes.webhook.forLead(leadId);
        expect(hooks).toHaveLength(1);
        expect(hooks[0]).toMatchObject({
            signatureValid: true,
            idempotencyKey: `${leadId}:leadWebhook`,
            answered: 200,
        });
        expect(d.leadWebhook).toMatchObject({ status: 'delivered', attempts: 1, externalId: 'rcv-1' });

        // Teams: one adaptive card; Teams returns no record id.
        expect(calls(fakes.teams.server.requests)).toEqual(['POST /workflows/e2e/triggers/manual/paths/invoke']);
        const card = fakes.teams.server.requests[0]!.json.attachments[0];
        expect(card.contentType).toBe('application/vnd.microsoft.card.adaptive');
        expect(JSON.stringify(card.content)).toContain('all-targets');
        // Without `includeContact` the card names the company (a routing fact) but no person.
        for (const value of [person.firstName, person.lastName, person.email, person.phone, notes]) {
            expect(JSON.stringify(card.content)).not.toContain(value);
        }
        expect(d.salesTeams).toMatchObject({ status: 'delivered', attempts: 1 });
        expect(d.salesTeams.externalId).toBeUndefined();

        // Salesforce: client-credentials token, a read of the person's Lead (none), one upsert by the person key that
        // created it (assignment rules on: a new Lead), and the lead logged as a task on it.
        const sfPath = `/services/data/v62.0/sobjects/Lead/Marketplace_Person_Key__c/${personKey}`;
        expect(calls(fakes.salesforce.server.requests)).toEqual([
            'POST /services/oauth2/token',
            `GET ${sfPath}`,
            `PATCH ${sfPath}`,
            'POST /services/data/v62.0/sobjects/Task',
        ]);
        expect(fakes.salesforce.server.requests[2]!.headers['sforce-auto-assign']).toBe('TRUE');
        expect(fakes.salesforce.leads).toHaveLength(1);
        expect(fakes.salesforce.leads[0]!.fields).toMatchObject({
            CountryCode: 'GB',
            Rating: 'Hot',
            LeadSource: 'Web',
        });
        expect(fakes.salesforce.tasks).toHaveLength(1);
        ids.salesforce = fakes.salesforce.leads[0]!.Id;
        expect(d.salesforce).toMatchObject({ status: 'delivered', attempts: 1, externalId: ids.salesforce });

        // HubSpot: 429 with Retry-After, then one upsert that created the contact, its starting status and stage, and
        // one note; no duplicate.
        const upsert = 'POST /crm/v3/objects/contacts/batch/upsert';
        ids.hubspot = [...fakes.hubspot.contacts.values()][0]!.id;
        expect(calls(fakes.hubspot.server.requests)).toEqual([
            upsert,
            upsert,
            `PATCH /crm/v3/objects/contacts/${ids.hubspot}`,
            'POST /crm/v3/objects/notes',
        ]);
        const [throttled, retried] = fakes.hubspot.server.requests;
        expect(retried!.json).toEqual(throttled!.json);
        expect(fakes.hubspot.contacts.size).toBe(1);
        expect(fakes.hubspot.notes.size).toBe(1);
        expect(d.hubspot).toMatchObject({ status: 'delivered', attempts: 2, externalId: ids.hubspot });
        expect(d.hubspot.lastError).toBeUndefined();

        // Marketo: token, one createOrUpdate skipped with 1006: failed at once, not retried.
        expect(calls(fakes.marketo.server.requests)).toEqual(['GET /identity/oauth/token', 'POST /rest/v1/leads.json']);
        expect(fakes.marketo.leads).toHaveLength(0);
        expect(d.marketo).toMatchObject({ status: 'failed', attempts: 1 });
        expect(d.marketo.externalId).toBeUndefined();
        expect(fakes.marketo.server.requests[1]!.json).toMatchObject({
            action: 'createOrUpdate',
            lookupField: 'email',
        });
        expect(d.marketo.lastError).toMatch(/^PermanentError: .*\b1006\b/);
        // The code only: Marketo's own message can quote field names or values.
        expect(d.marketo.lastError).not.toMatch(/leadSource|not found/);

        // Without openssl Dynamics has no settings: routed, but skipped as not configured (checked below otherwise).
        if (!withDynamics) expect(d.dynamics).toMatchObject({ status: 'skipped' });

        // What the operator sees about deliveries (and what the host logged) holds no personal data.
        const stored = JSON.stringify({ deliveries: lead.deliveries, history: lead.history });
        for (const value of personalData) expect(stored).not.toContain(value);
        for (const value of personalData) expect(host.logs()).not.toContain(value);
    }, 50_000);

    itWithDynamics(
        'when Dynamics 365 is reached over HTTPS, then one row is upserted by alternate key with an Entra token',
        async () => {
            const dataverse = fakes.dataverse!;
            const lead = (await getLead(host, leadId))!;

            // MSAL reads the tenant's OpenID configuration and gets a token; then the person's lead is read (none yet,
            // so none closed), upserted in one call, and the lead's note written.
            const keyed = `/api/data/v9.2/leads(new_marketplacepersonkey='${lead.personKey}')`;
            const requests = calls(dataverse.server.requests);
            expect(requests.slice(0, 4)).toEqual([
                'GET /tenant-1/v2.0/.well-known/openid-configuration',
                'POST /tenant-1/oauth2/v2.0/token',
                `GET ${keyed}`,
                `PATCH ${keyed}`,
            ]);
            expect(requests[4]).toMatch(/^PATCH \/api\/data\/v9\.2\/annotations\([0-9a-f-]{36}\)$/);
            expect(requests).toHaveLength(5);
            expect(dataverse.annotations.size).toBe(1);
            expect(dataverse.entra.issued).toHaveLength(1);
            expect(dataverse.leads.size).toBe(1);
            ids.dynamics = [...dataverse.leads.keys()][0]!;
            expect(byTarget(lead).dynamics).toMatchObject({
                status: 'delivered',
                attempts: 1,
                externalId: ids.dynamics,
            });
            expect(dataverse.leads.get(ids.dynamics)).toMatchObject({
                leadsourcecode: 8,
                leadqualitycode: 1,
                subject: 'Contoso Analytics',
            });
        },
    );

    it('when the delivered CRM targets are redelivered, then each updates its one record and creates nothing', async () => {
        expect(leadId).toBeDefined();
        const crms = withDynamics ? ['dynamics', 'salesforce', 'hubspot'] : ['salesforce', 'hubspot'];
        const before = {
            dataverse: fakes.dataverse?.server.requests.length ?? 0,
            salesforce: fakes.salesforce.server.requests.length,
            hubspot: fakes.hubspot.server.requests.length,
            marketo: fakes.marketo.server.requests.length,
            teams: fakes.teams.server.requests.length,
            webhook: fakes.webhook.forLead(leadId).length,
        };

        // One at a time: each forced redelivery is its own orchestration and its own final status.
        let lead: Record<string, any> = {};
        for (const target of crms) {
            const run = await redeliverAndWait(leadId, target);
            expect(run.targets).toEqual([target]);
            lead = run.lead;
        }
        const d = byTarget(lead);

        expect(lead.status).toBe('partially-delivered');
        if (fakes.dataverse) {
            const upserts = fakes.dataverse.server.requests.slice(before.dataverse);
            // The read, the upsert (an update now) and the same note again, upserted by its id: still one of each.
            expect(upserts.map((r) => r.method)).toEqual(['GET', 'PATCH', 'PATCH']);
            expect(fakes.dataverse.leads.size).toBe(1);
            expect(fakes.dataverse.annotations.size).toBe(1);
            expect(d.dynamics).toMatchObject({ status: 'delivered', attempts: 2, externalId: ids.dynamics });
        }
        // The read finds the Lead, the update leaves assignment rules off, and the task is found, not written twice.
        const sfPath = `/services/data/v62.0/sobjects/Lead/Marketplace_Person_Key__c/${lead.personKey}`;
        const sfCalls = fakes.salesforce.server.requests.slice(before.salesforce);
        expect(calls(sfCalls)).toEqual([`GET ${sfPath}`, `PATCH ${sfPath}`, 'GET /services/data/v62.0/query']);
        expect(sfCalls[1]!.headers['sforce-auto-assign']).toBe('FALSE');
        expect(fakes.salesforce.leads).toHaveLength(1);
        expect(fakes.salesforce.tasks).toHaveLength(1);
        expect(d.salesforce).toMatchObject({ status: 'delivered', attempts: 2, externalId: ids.salesforce });
        // HubSpot finds the contact, reads its notes, sees this delivery's marker and adds no second note.
        expect(calls(fakes.hubspot.server.requests.slice(before.hubspot))).toEqual([
            'POST /crm/v3/objects/contacts/batch/upsert',
            `GET /crm/v4/objects/contacts/${ids.hubspot}/associations/notes`,
            'POST /crm/v3/objects/notes/batch/read',
        ]);
        expect(fakes.hubspot.contacts.size).toBe(1);
        expect(fakes.hubspot.notes.size).toBe(1);
        expect(d.hubspot).toMatchObject({ status: 'delivered', attempts: 3, externalId: ids.hubspot });
        // Targets not asked for were not called.
        expect(fakes.marketo.server.requests).toHaveLength(before.marketo);
        expect(fakes.teams.server.requests).toHaveLength(before.teams);
        expect(fakes.webhook.forLead(leadId)).toHaveLength(before.webhook);
    }, 60_000);

    it('when the lead is redelivered without a target, then only the failed target is tried again', async () => {
        expect(leadId).toBeDefined();
        const before = fakes.marketo.server.requests.length;
        const others = () => [
            fakes.dataverse?.server.requests.length,
            fakes.salesforce.server.requests.length,
            fakes.hubspot.server.requests.length,
            fakes.teams.server.requests.length,
            fakes.webhook.forLead(leadId).length,
        ];
        const othersBefore = others();

        const run = await redeliverAndWait(leadId);

        expect(run.targets).toEqual(['marketo']);
        expect(run.lead.status).toBe('partially-delivered');
        expect(byTarget(run.lead).marketo).toMatchObject({ status: 'failed', attempts: 2 });
        expect(byTarget(run.lead).marketo.lastError).toMatch(/1006/);
        expect(calls(fakes.marketo.server.requests.slice(before))).toEqual(['POST /rest/v1/leads.json']);
        expect(fakes.marketo.leads).toHaveLength(0);
        expect(others()).toEqual(othersBefore);
    }, 40_000);

    it('when the Marketo field is fixed and the target redelivered, then it is delivered once and stays one lead', async () => {
        expect(leadId).toBeDefined();
        fakes.marketo.override = undefined;

        const first = await redeliverAndWait(leadId, 'marketo');
        const again = await redeliverAndWait(leadId, 'marketo');
        const nothingLeft = await redeliver(leadId);

        expect(first.targets).toEqual(['marketo']);
        expect(first.lead.status).toBe('delivered');
        expect(fakes.marketo.leads).toHaveLength(1);
        const marketoId = String(fakes.marketo.leads[0]!.id);
        expect(byTarget(first.lead).marketo).toMatchObject({ status: 'delivered', attempts: 3, externalId: marketoId });
        expect(byTarget(first.lead).marketo.lastError).toBeUndefined();
        expect(again.lead.status).toBe('delivered');
        expect(byTarget(again.lead).marketo).toMatchObject({ status: 'delivered', attempts: 4, externalId: marketoId });
        expect(nothingLeft.status).toBe(409);

        // Every fake holds exactly one record for the person after all of it.
        expect(fakes.dataverse?.leads.size ?? 1).toBe(1);
        expect(fakes.salesforce.leads).toHaveLength(1);
        expect(fakes.hubspot.contacts.size).toBe(1);
        expect(fakes.hubspot.notes.size).toBe(1);
        expect(fakes.marketo.leads).toHaveLength(1);
        expect(fakes.teams.server.requests).toHaveLength(1);
        expect(fakes.webhook.forLead(leadId)).toHaveLength(1);
        const final = await getLead(host, leadId);
        expect(final?.status).toBe('delivered');
        for (const value of personalData) expect(host.logs()).not.toContain(value);
    }, 40_000);
    it('when the same person sends a second lead for the offer, then every CRM updates the same record', async () => {
        expect(ids.salesforce).toBeDefined();
        const second = await postLead(host, body.replace('"INS"', '"Create"'));
        expect(second.status).toBe(202);
        expect(second.leadId).not.toBe(leadId);
        const lead = await waitForFinal(host, second.leadId!, 30_000);
        const d = byTarget(lead);

        expect(lead.status).toBe('delivered');
        expect(lead.personKey).toBe((await getLead(host, leadId))?.personKey);
        expect(lead.journey.map((j: { leadId: string }) => j.leadId)).toEqual(
            expect.arrayContaining([leadId, second.leadId]),
        );
        if (fakes.dataverse) {
            expect(fakes.dataverse.leads.size).toBe(1);
            // Each lead of the person is its own note on the one lead row.
            expect(fakes.dataverse.annotations.size).toBe(2);
            expect(d.dynamics).toMatchObject({ status: 'delivered', attempts: 1, externalId: ids.dynamics });
        }
        expect(fakes.salesforce.leads).toHaveLength(1);
        expect(fakes.salesforce.tasks).toHaveLength(2);
        expect(d.salesforce).toMatchObject({ status: 'delivered', attempts: 1, externalId: ids.salesforce });
        // One contact; this lead's note is its own (a new delivery key), so the contact now has two.
        expect(fakes.hubspot.contacts.size).toBe(1);
        expect(fakes.hubspot.notes.size).toBe(2);
        expect(d.hubspot).toMatchObject({ status: 'delivered', attempts: 1, externalId: ids.hubspot });
        expect(fakes.marketo.leads).toHaveLength(1);
        expect(d.marketo).toMatchObject({
            status: 'delivered',
            attempts: 1,
            externalId: String(fakes.marketo.leads[0]!.id),
        });
        // Notifications are per lead.
        expect(fakes.teams.server.requests).toHaveLength(2);
        expect(fakes.webhook.forLead(second.leadId!)).toHaveLength(1);
        for (const value of personalData) expect(host.logs()).not.toContain(value);
    }, 40_000);
});

/*
 * A redelivery while the lead's first delivery is still running (HubSpot's answer is held back until the redelivery
 * has finished). The first run's older "failed" for Marketo must not overwrite the redelivery's "delivered", and the
 * redelivery must not give the lead a final status while HubSpot is still pending.
 */
describe('a redelivery that overlaps the first delivery of the lead', () => {
    const race = { leadId: '', midway: {} as Record<string, any>, final: {} as Record<string, any>, marketoBefore: 0 };

    it('when Marketo is redelivered while HubSpot still holds the first attempt, then both deliveries happen once', async () => {
        const hubspot = holdNextHubSpotUpsert(fakes.hubspot);
        rejectMarketoRecords(fakes.marketo);
        race.marketoBefore = fakes.marketo.leads.length;
        const posted = await postLead(
            host,
            body.replace('augusta.lovelace@', 'race.test@').replace('"INS"', '"Create"'),
        );
        race.leadId = posted.leadId!;
        const marketoFailed = async () => {
            const lead = await getLead(host, race.leadId);
            return byTarget(lead ?? { deliveries: [] }).marketo?.attempts === 1 && hubspot.held();
        };
        await waitFor(marketoFailed, 20_000, 'Marketo to fail while HubSpot is held');

        fakes.marketo.override = undefined;
        const redelivery = await redeliver(race.leadId, 'marketo');
        const completions = (lead: Record<string, any> | undefined) =>
            (lead?.history ?? []).filter((h: { kind: string }) => h.kind === 'completed').length;
        race.midway = await waitFor(
            async () => {
                const lead = await getLead(host, race.leadId);
                return completions(lead) === 1 ? lead : undefined;
            },
            20_000,
            'the redelivery to finish',
        );
        hubspot.release();
        race.final = await waitFor(
            async () => {
                const lead = await getLead(host, race.leadId);
                return completions(lead) === 2 ? lead : undefined;
            },
            20_000,
            'the first delivery to finish',
        );

        expect(redelivery.json.targets).toEqual(['marketo']);
        expect(byTarget(race.midway).hubspot.status).toBe('pending');
        expect(byTarget(race.midway).marketo).toMatchObject({ status: 'delivered', attempts: 2 });
        expect(fakes.marketo.leads).toHaveLength(race.marketoBefore + 1);
        expect(byTarget(race.final).hubspot).toMatchObject({ status: 'delivered', attempts: 2 });
    }, 60_000);

    it('then the lead keeps Marketo delivered after the first delivery finishes', () => {
        expect(byTarget(race.final).marketo).toMatchObject({ status: 'delivered', attempts: 2 });
        expect(byTarget(race.final).marketo.lastError).toBeUndefined();
        expect(race.final.status).toBe('delivered');
        expect(race.final.completedAt).toEqual(expect.any(String));
    });

    it('then the lead is not given a final status while HubSpot is still pending', () => {
        expect(race.midway.status).toBe('delivering');
        expect(race.midway.completedAt).toBeUndefined();
    });
});
