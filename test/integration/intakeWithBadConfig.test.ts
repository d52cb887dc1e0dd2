// eslint-disable-next-line @typescript-eslint/no-require-imports -- jest.mock factories cannot use import
jest.mock('@azure/functions-core', () => require('../fakes/functionsCore'), { virtual: true });

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { TableClient } from '@azure/data-tables';

import type * as WebhookModule from '../../functions/marketplaceLeadWebhook';
import { testContext } from '../fakes/fakes';
import { fixture, post } from '../functions/helpers';
import { type AzuriteInstance, startAzurite } from '../support/azurite';

let azurite: AzuriteInstance;
beforeAll(async () => {
    azurite = await startAzurite();
});
afterAll(async () => {
    await azurite.stop();
});

/** The production webhook handler, wired from `env` in a module registry of its own (its memoised deps start empty). */
function webhookWith(env: Record<string, string>) {
    const saved = { ...process.env };
    Object.assign(process.env, env);
    let handler: typeof WebhookModule.marketplaceLeadWebhook | undefined;
    jest.isolateModules(() => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- this registry's own copy
        handler = (require('../../functions/marketplaceLeadWebhook') as typeof WebhookModule).marketplaceLeadWebhook;
    });
    return async (body: string) => {
        try {
            return await handler!(post(body), testContext('marketplaceLeadWebhook').context);
        } finally {
            process.env = saved;
        }
    };
}

describe('the intake with a broken configuration (Azurite)', () => {
    it('when pipeline.json is broken and Service Bus is not set then the callback is still stored, and 503 asks the marketplace to retry', async () => {
        const broken = join(mkdtempSync(join(tmpdir(), 'intake-')), 'pipeline.json');
        writeFileSync(broken, '{ not json');
        const webhook = webhookWith({
            AzureWebJobsStorage: azurite.connectionString,
            ServiceBusConnection: '',
            PIPELINE_CONFIG_PATH: broken,
            PIPELINE_TABLE_PREFIX: 'BadConfig',
        });

        const res = await webhook(fixture('https-pascal-campaign.json'));

        const rows = TableClient.fromConnectionString(azurite.connectionString, 'BadConfigLeads', {
            allowInsecureConnection: true,
        }).listEntities<{ rowKey: string; status?: string }>();
        const stored: { rowKey: string; status?: string }[] = [];
        for await (const row of rows) stored.push(row);
        expect(res.status).toBe(503);
        expect(res.headers).toMatchObject({ 'Retry-After': '30' });
        expect(stored.map((r) => r.rowKey).sort()).toEqual(expect.arrayContaining(['lead', 'raw']));
        expect(stored.find((r) => r.rowKey === 'lead')?.status).toBe('received');
    });
});
