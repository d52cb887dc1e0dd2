/**
 * Service Bus stand-in throughput: SDK sends through the AMQP endpoint into Azurite (in memory), and end-to-end
 * delivery to a trivial trigger. Prints messages per second; figures depend on the machine, compare runs on one.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

import { ServiceBusClient, type ServiceBusSender } from '@azure/service-bus';

import type { HostContext, HostLogger, Registration } from '../local/contracts';
import { createServiceBusExtension } from '../local/serviceBus/createServiceBusExtension';
import { startAzurite } from '../test/support/azurite';

const quiet: HostLogger = { info() {}, warn() {}, error() {}, debug() {} };

function registration(queueName: string, onMessage: () => void): Registration {
    const trigger = { name: 'trigger', type: 'serviceBusTrigger', direction: 'in' as const, queueName };
    return {
        name: `on-${queueName}`,
        metadata: { name: `on-${queueName}`, bindings: { trigger } },
        callback: () => onMessage(),
        trigger,
    };
}

async function sendBatches(sender: ServiceBusSender, total: number, size: number, prefix: string): Promise<void> {
    for (let sent = 0; sent < total; sent += size) {
        const batch = Array.from({ length: size }, (_, i) => ({
            body: { n: sent + i },
            messageId: `${prefix}-${sent + i}`,
        }));
        await sender.sendMessages(batch);
    }
}

async function main(): Promise<void> {
    const azurite = await startAzurite();
    const appDir = mkdtempSync(join(tmpdir(), 'sb-bench-'));
    let delivered = 0;
    let allDelivered: () => void = () => undefined;
    const target = 1000;
    const done = new Promise<void>((resolve) => (allDelivered = resolve));
    const extension = createServiceBusExtension();
    extension.register(
        registration('deliver', () => {
            if (++delivered === target) allDelivered();
        }),
    );
    const context: HostContext = {
        appDir,
        dataDir: join(appDir, '.local'),
        storageMode: 'memory',
        storageConnectionString: azurite.connectionString,
        baseUrl: 'http://127.0.0.1:0',
        hostJson: { extensions: { serviceBus: { maxConcurrentCalls: 16 } } },
        logger: quiet,
        setting: (name) => (name === 'LOCAL_SERVICE_BUS_PORT' ? '0' : undefined),
        resolve: (value) => value,
        invoke: async (reg, input) => ({ invocationId: 'b', durationMs: 0, result: await reg.callback(input, {}) }),
        functionsModule: () => {
            throw new Error('not used');
        },
    };
    await extension.start(context);
    const client = new ServiceBusClient(String(extension.readyInfo?.().serviceBusConnectionString));
    try {
        const sink = client.createSender('sink');
        await sink.sendMessages({ body: 'warm-up' });
        let t = Date.now();
        const singles = 200;
        for (let i = 0; i < singles; i++) await sink.sendMessages({ body: { i }, messageId: `s-${i}` });
        const singleRate = (singles / (Date.now() - t)) * 1000;
        t = Date.now();
        await sendBatches(sink, 1000, 100, 'b');
        const batchRate = (1000 / (Date.now() - t)) * 1000;

        t = Date.now();
        await sendBatches(client.createSender('deliver'), target, 100, 'd');
        await done;
        const endToEnd = (target / (Date.now() - t)) * 1000;

        console.log(`SDK send, one message per call (duplicate detection on): ${singleRate.toFixed(0)} msg/s`);
        console.log(`SDK send, arrays of 100:                                 ${batchRate.toFixed(0)} msg/s`);
        console.log(`send 1000 + deliver to a trivial trigger (16 concurrent): ${endToEnd.toFixed(0)} msg/s`);
        console.log(`load average (1 min) at the end: ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`);
        console.log(
            `host process RSS: ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MB (Azurite runs apart)`,
        );
    } finally {
        await client.close();
        await extension.stop();
        await azurite.stop();
        rmSync(appDir, { recursive: true, force: true });
    }
}

main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
});
