import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { type StartedHost, waitFor } from '../support/host';
import { removeHostData } from '../support/removeHostData';
import { postLead, SECRET, startPipelineHost, waitForFinal } from './support/pipelineHost';
import { startWebhookReceiver } from './support/webhookReceiver';

const lead = (email: string) => JSON.stringify({ userDetails: { email, company: 'Contoso' }, actionCode: 'INS' });

let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let host: StartedHost | undefined;
const dataDir = mkdtempSync(join(tmpdir(), 'pipeline-restart-'));

beforeAll(async () => {
    receiver = await startWebhookReceiver(SECRET);
});
afterAll(async () => {
    await host?.stop();
    await receiver?.stop();
    await removeHostData(dataDir);
});

describe('a host crash mid-pipeline', () => {
    it('when the host is killed while leads wait on a retry timer, sit in the queue or are being delivered, then after a restart every lead completes and nothing is delivered twice', async () => {
        receiver.scripts.set('waiting@contoso.com', (_d, nth) =>
            nth === 1 ? { status: 503, headers: { 'Retry-After': '3' } } : { status: 200 },
        );
        receiver.scripts.set('inflight@contoso.com', (_d, nth) => (nth === 1 ? 'hang' : { status: 200 }));
        host = await startPipelineHost(receiver.url, { storage: 'disk', dataDir });

        const waiting = await postLead(host, lead('waiting@contoso.com'));
        const inflight = await postLead(host, lead('inflight@contoso.com'));
        await waitFor(
            () => receiver.forLead(waiting.leadId!).length === 1 && receiver.forLead(inflight.leadId!).length === 1,
        );
        const queued = await Promise.all(
            ['q1@contoso.com', 'q2@contoso.com', 'q3@contoso.com'].map((e) => postLead(host!, lead(e))),
        );
        await host.kill('SIGKILL');

        host = await startPipelineHost(receiver.url, { storage: 'disk', dataDir });
        const all = [waiting, inflight, ...queued];
        const finals = [];
        for (const posted of all) finals.push(await waitForFinal(host, posted.leadId!, 45_000));

        expect(all.every((p) => p.status === 202)).toBe(true);
        expect(finals.map((f) => f.status)).toEqual(all.map(() => 'delivered'));
        for (const posted of all) {
            expect(receiver.forLead(posted.leadId!).filter((d) => d.answered === 200)).toHaveLength(1);
        }
    }, 120_000);
});
