/* eslint-disable @typescript-eslint/no-explicit-any -- API answers and fixtures are loosely typed JSON */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { type StartedHost, startHost, waitFor } from '../../support/host';

export const ROOT = resolve(__dirname, '../../..');
export const SECRET = 'e2e-secret-0123456789abcdef';
const FINAL = ['delivered', 'partially-delivered', 'failed', 'destination-validated', 'not-routed', 'skipped'];

/** The default pipeline config with retries short enough for tests (seconds, not minutes). */
export function testPipelineConfig(dir: string): string {
    const config = JSON.parse(readFileSync(join(ROOT, 'config', 'pipeline.json'), 'utf8')) as {
        delivery: Record<string, number>;
        targets: Record<string, { options: Record<string, unknown> }>;
    };
    config.delivery = {
        maxAttempts: 3,
        firstRetryIntervalSeconds: 1,
        backoffCoefficient: 1,
        maxRetryIntervalSeconds: 2,
        deadlineMinutes: 2,
        timeoutSeconds: 5,
    };
    config.targets.leadWebhook!.options.timeoutSeconds = 1.5;
    const path = join(dir, 'pipeline.json');
    writeFileSync(path, JSON.stringify(config));
    return path;
}

export async function startPipelineHost(
    webhookUrl: string,
    options: { storage?: 'memory' | 'disk'; dataDir?: string; env?: Record<string, string> } = {},
) {
    const dir = mkdtempSync(join(tmpdir(), 'pipeline-e2e-'));
    return startHost({
        appDir: ROOT,
        storage: options.storage ?? 'memory',
        dataDir: options.dataDir,
        env: {
            LEAD_WEBHOOK_URL: webhookUrl,
            LEAD_WEBHOOK_SECRET: SECRET,
            PIPELINE_CONFIG_PATH: testPipelineConfig(dir),
            MARKETPLACE_TABLE_POLL_SCHEDULE: '*/2 * * * * *',
            // A short lock: a message locked by an invocation the crash killed comes back after 5 s, not 60 s.
            LOCAL_SERVICEBUS_CONFIG: JSON.stringify({
                queues: { 'lead-events': { maxDeliveryCount: 3, lockDurationSeconds: 5 } },
            }),
            LOCAL_FUNCTION_KEY: 'e2e-key',
            ...options.env,
        },
    });
}

export const api = (host: StartedHost, path: string) =>
    `${host.baseUrl}/api/${path}${path.includes('?') ? '&' : '?'}code=${host.functionKey}`;

export async function postLead(host: StartedHost, body: string): Promise<{ status: number; leadId?: string }> {
    const res = await fetch(api(host, 'marketplace/leads'), { method: 'POST', body });
    const json = (await res.json()) as { leadId?: string };
    return { status: res.status, leadId: json.leadId };
}

export async function getLead(host: StartedHost, leadId: string): Promise<Record<string, any> | undefined> {
    const res = await fetch(api(host, `leads/${leadId}`));
    return res.status === 200 ? ((await res.json()) as Record<string, any>) : undefined;
}

/** Waits until the lead has a final status and returns it. */
export function waitForFinal(host: StartedHost, leadId: string, timeoutMs = 30_000) {
    return waitFor(
        async () => {
            const lead = await getLead(host, leadId);
            return lead !== undefined && FINAL.includes(String(lead.status)) ? lead : undefined;
        },
        timeoutMs,
        `lead ${leadId} to finish`,
    );
}

/** An HTTPS fixture as the row the marketplace would write into `MarketplaceLeads`. */
export function asTableRow(
    callback: Record<string, any>,
    createdTime: string,
    description?: string,
): Record<string, unknown> {
    const get = (o: Record<string, any> | undefined, key: string) =>
        o === undefined ? undefined : Object.entries(o).find(([k]) => k.toLowerCase() === key.toLowerCase())?.[1];
    const user = get(callback, 'userDetails') as Record<string, any> | undefined;
    const info: Record<string, unknown> = {};
    for (const field of ['FirstName', 'LastName', 'Email', 'Phone', 'Country', 'Company', 'Title']) {
        const v = get(user, field);
        if (v !== undefined) info[field] = v;
    }
    const row: Record<string, unknown> = { CustomerInfo: JSON.stringify(info), CreatedTime: createdTime };
    for (const [from, to] of [
        ['leadSource', 'LeadSource'],
        ['actionCode', 'ActionCode'],
        ['offerTitle', 'OfferDisplayName'],
        ['description', 'Description'],
    ] as const) {
        const v = get(callback, from);
        if (v !== undefined) row[to] = v;
    }
    if (description !== undefined) row.Description = description;
    return row;
}
