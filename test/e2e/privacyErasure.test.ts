/* eslint-disable @typescript-eslint/no-explicit-any -- API answers are loosely typed JSON */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { TableClient } from '@azure/data-tables';

import { type StartedHost, waitFor } from '../support/host';
import { removeHostData, waitForAzuriteExit } from '../support/removeHostData';
import { type Finding, scanFolder } from './support/personalDataScan';
import { api, asTableRow, getLead, postLead, SECRET, startPipelineHost, waitForFinal } from './support/pipelineHost';
import { startWebhookReceiver } from './support/webhookReceiver';

/*
 * The whole pipeline on the local host with disk storage: two people's leads arrive (callbacks, one with a body too
 * large for a table property, so it is kept as a blob; a row of the marketplace's table; a body that is not a JSON
 * object), one person is erased, and then the emulator's files themselves are searched. Azurite keeps tables as a
 * LokiJS JSON file rewritten whole on every save (binary properties as base64), blobs and queue messages in
 * append-only extent files that a deleted blob does not shrink: so the files are searched only once the host has
 * stopped and Azurite has written and closed them, and the same search is first shown to find the data.
 */

const erased = {
    firstName: 'Zsófia',
    lastName: 'Kovácsné-Erasure',
    email: 'zsofia.kovacsne@fabrikam-erasure.example',
    phone: '+36 1 555 0199',
    company: 'Fabrikam Erasure Kft.',
    title: 'Beszerzési igazgató',
    country: 'Hungary',
};
const note = 'Zsófia asks for a call back about the pilot';
const kept = {
    firstName: 'Bartholomew',
    lastName: 'Keepington',
    email: 'bartholomew.keepington@contoso-kept.example',
    phone: '+1 425 555 0142',
    company: 'Contoso Kept Ltd',
    title: 'Head of IT',
    country: 'United States',
};
const keptNote = 'Bartholomew wants pricing';

const secretsOf = (p: typeof erased, text: string) => [
    p.email,
    p.firstName,
    p.lastName,
    p.phone,
    p.phone.replace(/\D/g, ''),
    `+${p.phone.replace(/\D/g, '')}`,
    p.company,
    text,
];
const erasedSecrets = secretsOf(erased, note);
const keptSecrets = secretsOf(kept, keptNote);

const callback = (person: typeof erased, action: string, description: string) =>
    JSON.stringify({
        userDetails: person,
        actionCode: action,
        offerTitle: 'Fabrikam Analytics',
        leadSource: 'AzureMarketplace-INS|fabrikam.analytics',
        description,
    });
/** Over 60 KB: stored as a blob, not in the lead's partition. */
const large = (text: string) => `${text}. ${'Details of the pilot we discussed. '.repeat(2200)}`;

const dataDir = mkdtempSync(join(tmpdir(), 'privacy-erasure-'));
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let host: StartedHost | undefined;

beforeAll(async () => {
    receiver = await startWebhookReceiver(SECRET);
});
afterAll(async () => {
    await host?.stop();
    await receiver?.stop();
    await removeHostData(dataDir);
});

async function stopAndScan(secrets: readonly string[]): Promise<Finding[]> {
    await host!.stop();
    host = undefined;
    await waitForAzuriteExit(dataDir);
    return scanFolder(dataDir, secrets);
}

async function erasure(h: StartedHost, body: Record<string, unknown>): Promise<Record<string, any>> {
    const res = await fetch(api(h, 'privacy/erasures'), { method: 'POST', body: JSON.stringify(body) });
    expect(res.status).toBe(202);
    const { erasureId } = (await res.json()) as { erasureId: string };
    return waitFor(
        async () => {
            const report = (await (await fetch(api(h, `privacy/erasures/${erasureId}`))).json()) as Record<string, any>;
            return report.status === 'running' ? undefined : report;
        },
        90_000,
        `erasure ${erasureId}`,
    );
}

describe('erasing a person on the local host with disk storage', () => {
    it('when a person is erased, then no byte sequence of their email, name or phone is left in the emulator files, and the other person is intact and served', async () => {
        host = await startPipelineHost(receiver.url, { storage: 'disk', dataDir });
        const table = TableClient.fromConnectionString(host.storageConnectionString, 'MarketplaceLeads', {
            allowInsecureConnection: true,
        });
        await table.createTable();

        const posted = [
            await postLead(host, callback(erased, 'PLT', large(note))),
            await postLead(host, callback(erased, 'INS', note)),
            await postLead(host, callback(kept, 'PLT', large(keptNote))),
            await postLead(host, callback(kept, 'INS', keptNote)),
        ];
        const invalid = [
            await fetch(api(host, 'marketplace/leads'), {
                method: 'POST',
                body: `["${erased.email}", "${erased.phone}"`,
            }),
            await fetch(api(host, 'marketplace/leads'), { method: 'POST', body: `<lead>${kept.email}</lead>` }),
        ];
        await table.createEntity({
            partitionKey: 'privacy',
            rowKey: 'erased-row',
            ...asTableRow(JSON.parse(callback(erased, 'Create', 'table channel')), new Date().toISOString()),
        });
        const erasedIds = posted.slice(0, 2).map((p) => p.leadId!);
        const keptIds = posted.slice(2).map((p) => p.leadId!);
        for (const id of [...erasedIds, ...keptIds]) expect((await waitForFinal(host, id)).status).toBe('delivered');
        expect(invalid.map((r) => r.status)).toEqual([400, 400]);
        const tableLead = await waitFor(
            async () => {
                const res = await fetch(api(host!, 'leads?limit=50'));
                const items = ((await res.json()) as { items: { leadId: string; channel: string; status: string }[] })
                    .items;
                return items.find((i) => i.channel === 'table' && i.status === 'delivered');
            },
            30_000,
            'the table row to be delivered',
        );
        erasedIds.push(tableLead.leadId);

        // The search finds what is stored: each person's data is there, in the table file and as base64.
        const before = await stopAndScan([...erasedSecrets, ...keptSecrets]);
        for (const secret of [erased.email, erased.lastName, kept.email, kept.lastName]) {
            expect(before.some((f) => f.secret === secret && f.file.includes('__azurite_db_table__'))).toBe(true);
        }
        expect(before.some((f) => f.secret === note && f.form.includes('base64'))).toBe(true);

        host = await startPipelineHost(receiver.url, { storage: 'disk', dataDir });
        const report = await erasure(host, { email: erased.email.toUpperCase(), marketplaceTable: true });

        expect(report).toMatchObject({
            status: 'completed',
            stage: 'done',
            scope: { email: true, offer: false, leadIds: 0, marketplaceTable: true },
            marketplaceTable: { status: 'erased', rows: 1 },
        });
        expect([...report.leadIds].sort()).toEqual([...erasedIds].sort());
        expect(report.counts).toMatchObject({
            leads: 3,
            rawBlobs: 1,
            indexRows: 3,
            journeyRows: 3,
            invalidPayloads: 1,
        });
        // Every erased lead's run at least (a delivery sub-orchestration only where a target had to wait).
        expect(report.counts.durableInstances).toBeGreaterThanOrEqual(erasedIds.length);
        expect(JSON.stringify(report)).not.toContain(erased.email);
        for (const id of erasedIds) expect(await getLead(host, id)).toBeUndefined();
        for (const id of keptIds) expect((await getLead(host, id))?.contact.email).toBe(kept.email);

        const after = await stopAndScan([...erasedSecrets, ...keptSecrets]);
        expect(after.filter((f) => erasedSecrets.includes(f.secret))).toEqual([]);
        expect(after.some((f) => f.secret === kept.email)).toBe(true);
        expect(after.some((f) => f.secret === keptNote && f.form.includes('base64'))).toBe(true);

        // After a restart the other person's leads are still served, with their raw bodies; the erased ones are not.
        host = await startPipelineHost(receiver.url, { storage: 'disk', dataDir });
        const listed = (
            (await (await fetch(api(host, 'leads?limit=50'))).json()) as { items: { leadId: string }[] }
        ).items.map((i) => i.leadId);
        expect(listed).toEqual(expect.arrayContaining(keptIds));
        expect(listed.filter((id) => erasedIds.includes(id))).toEqual([]);
        const exported = (await (
            await fetch(api(host, 'privacy/exports'), { method: 'POST', body: JSON.stringify({ email: kept.email }) })
        ).json()) as Record<string, any>;
        expect(exported.leads.map((l: any) => l.leadId).sort()).toEqual([...keptIds].sort());
        expect(exported.leads.every((l: any) => l.rawBody.kept === true && l.rawBody.text.includes(keptNote))).toBe(
            true,
        );
        expect(exported.invalidPayloads).toHaveLength(1);
    }, 300_000);
});
