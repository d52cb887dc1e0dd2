import type { ServerResponse } from 'node:http';
import { join } from 'node:path';

import { type FakeDataverse, startFakeDataverse } from '../../contract/fakes/fakeDataverse';
import { type FakeHubSpot, startFakeHubSpot } from '../../contract/fakes/fakeHubSpot';
import { type FakeMarketo, startFakeMarketo } from '../../contract/fakes/fakeMarketo';
import { type FakeSalesforce, startFakeSalesforce } from '../../contract/fakes/fakeSalesforce';
import { type FakeTeams, startFakeTeams } from '../../contract/fakes/startFakeTeams';
import { sendJson } from '../../contract/support/fakeServer';
import type { TestCertificate } from '../../contract/support/selfSignedCertificate';
import { ROOT, SECRET } from './pipelineHost';
import { startWebhookReceiver } from './webhookReceiver';

const credentials = {
    hubspotToken: 'pat-e2e-hubspot',
    marketo: { id: 'mkto-e2e-client', secret: 'mkto-e2e-secret' },
    salesforce: { clientId: 'sf-e2e-consumer-key', clientSecret: 'sf-e2e-consumer-secret' },
    // The fake Entra ID's app registration (fakes/fakeDataverse.ts).
    dynamics: { tenantId: 'tenant-1', clientId: 'app-1', clientSecret: 'secret-1' },
};

export interface AllTargetsFakes {
    /** Undefined when openssl is missing: Dynamics then stays unconfigured (MSAL only accepts an https authority). */
    dataverse: FakeDataverse | undefined;
    salesforce: FakeSalesforce;
    hubspot: FakeHubSpot;
    marketo: FakeMarketo;
    teams: FakeTeams;
    webhook: Awaited<ReturnType<typeof startWebhookReceiver>>;
    /** Settings for the local host: every target's URL and credentials, pointing at the loopback fakes. */
    hostEnv: Record<string, string>;
    stop(): Promise<void>;
}

/**
 * Every CRM/notification fake and the webhook receiver on loopback, and the host settings that reach them. The
 * Dataverse fake (with its Entra ID) needs `certificate` (see `selfSignedCertificate()`, undefined without openssl);
 * `stop()` disposes of it.
 */
export async function startAllTargetsFakes(certificate: TestCertificate | undefined): Promise<AllTargetsFakes> {
    const dataverse = certificate && (await startFakeDataverse({ key: certificate.key, cert: certificate.cert }));
    const salesforce = await startFakeSalesforce({ ...credentials.salesforce, publicKey: '', username: '' });
    const hubspot = await startFakeHubSpot(credentials.hubspotToken);
    const marketo = await startFakeMarketo(credentials.marketo.id, credentials.marketo.secret);
    const teams = await startFakeTeams();
    const webhook = await startWebhookReceiver(SECRET);
    const hostEnv: Record<string, string> = {
        PIPELINE_CONFIG_PATH: join(ROOT, 'test', 'fixtures', 'configs', 'all-targets.json'),
        LOCAL_FUNCTION_KEY: 'e2e-all-targets-key',
        LEAD_WEBHOOK_URL: webhook.url,
        LEAD_WEBHOOK_SECRET: SECRET,
        TEAMS_WEBHOOK_URL: `${teams.server.url}/workflows/e2e/triggers/manual/paths/invoke?sig=e2e-signature`,
        SALESFORCE_LOGIN_URL: salesforce.server.url,
        SALESFORCE_CLIENT_ID: credentials.salesforce.clientId,
        SALESFORCE_CLIENT_SECRET: credentials.salesforce.clientSecret,
        HUBSPOT_TOKEN: credentials.hubspotToken,
        HUBSPOT_BASE_URL: hubspot.server.url,
        MARKETO_BASE_URL: marketo.server.url,
        MARKETO_CLIENT_ID: credentials.marketo.id,
        MARKETO_CLIENT_SECRET: credentials.marketo.secret,
        // Empty settings turn an `"enabled": "auto"` target off, whatever local.settings.json says.
        DYNAMICS_URL: dataverse?.server.url ?? '',
        DYNAMICS_TENANT_ID: dataverse ? credentials.dynamics.tenantId : '',
        DYNAMICS_CLIENT_ID: dataverse ? credentials.dynamics.clientId : '',
        DYNAMICS_CLIENT_SECRET: dataverse ? credentials.dynamics.clientSecret : '',
    };
    // The host's platform fetch (and MSAL through it) must trust the fake's self-signed certificate.
    if (certificate) hostEnv.NODE_EXTRA_CA_CERTS = certificate.certFile;
    return {
        dataverse,
        salesforce,
        hubspot,
        marketo,
        teams,
        webhook,
        hostEnv,
        async stop() {
            await Promise.all([
                dataverse?.server.close(),
                salesforce.server.close(),
                hubspot.server.close(),
                marketo.server.close(),
                teams.server.close(),
                webhook.stop(),
            ]);
            certificate?.dispose();
        },
    };
}

/** HubSpot's burst-limit answer (API usage guidelines), once: the next call goes through. */
export function throttleHubSpotOnce(hubspot: FakeHubSpot, retryAfterSeconds: number): void {
    hubspot.override = (req, res) => {
        if (req.pathname !== '/crm/v3/objects/contacts/batch/upsert') return false;
        hubspot.override = undefined;
        sendJson(
            res,
            429,
            {
                status: 'error',
                message: 'You have reached your ten_secondly_rolling limit.',
                errorType: 'RATE_LIMIT',
                correlationId: 'e2e-429',
                policyName: 'TEN_SECONDLY_ROLLING',
            },
            {
                'retry-after': String(retryAfterSeconds),
                'x-hubspot-ratelimit-interval-milliseconds': '10000',
                'x-hubspot-ratelimit-max': '100',
                'x-hubspot-ratelimit-remaining': '0',
            },
        );
        return true;
    };
}

/** Marketo skips the record with 1006 (a mapped field does not exist in the instance): permanent until fixed. */
export function rejectMarketoRecords(marketo: FakeMarketo): void {
    marketo.override = (req, res) => {
        if (req.method !== 'POST' || req.pathname !== '/rest/v1/leads.json') return false;
        sendJson(res, 200, {
            requestId: 'e2e#1006',
            success: true,
            result: [
                { seq: 0, status: 'skipped', reasons: [{ code: '1006', message: "Field 'leadSource' not found" }] },
            ],
        });
        return true;
    };
}

/** HubSpot accepts the next upsert and does not answer it until the test calls the returned `release`. */
export function holdNextHubSpotUpsert(hubspot: FakeHubSpot): { held(): boolean; release(): void } {
    let held: ServerResponse | undefined;
    hubspot.override = (req, res) => {
        if (req.pathname !== '/crm/v3/objects/contacts/batch/upsert') return false;
        hubspot.override = undefined;
        held = res;
        return true;
    };
    return {
        held: () => held !== undefined,
        // Released as a burst-limit answer, so the held attempt fails transiently and the retry goes through.
        release: () =>
            held &&
            sendJson(
                held,
                429,
                { status: 'error', message: 'limit', policyName: 'TEN_SECONDLY_ROLLING' },
                {
                    'retry-after': '1',
                },
            ),
    };
}
