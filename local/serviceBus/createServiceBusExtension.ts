import { TableClient } from '@azure/data-tables';

import type { HostContext, HostExtension, InvocationOutput, Registration } from '../contracts';
import { describePortOwner } from '../host/portOwner';
import { AmqpEndpoint } from './amqp/amqpEndpoint';
import { DuplicateDetector } from './duplicateDetector';
import { emulatorConnectionString, rewriteEmulatorSettings } from './emulatorConnectionString';
import { type EntityPath, parseEntityPath } from './entityPath';
import { MessagePump } from './messagePump';
import { MessageStore } from './messageStore';
import { outputMessages } from './outputMessages';
import { ScheduledIndex } from './scheduledIndex';
import { ServiceBusBroker } from './serviceBusBroker';
import { configSettingName, loadServiceBusConfig } from './serviceBusConfig';

/** Settings the host core may set for the AMQP port (`--sb-port`); 5672 is the emulator's port. */
const portSettings = ['LOCAL_SERVICE_BUS_PORT', 'LOCAL_SERVICEBUS_PORT'];
const defaultPort = 5672;
const defaultMaxConcurrentCalls = 16;

interface Running {
    broker: ServiceBusBroker;
    endpoint: AmqpEndpoint;
    pumps: MessagePump[];
    port: number;
    context: HostContext;
}

const isOutput = (binding: { type: string; direction: string }): boolean =>
    binding.type === 'serviceBus' && binding.direction === 'out';

/** The entity a `serviceBusTrigger` listens on: a queue (or its DLQ) or a topic subscription (or its DLQ). */
export function triggerEntity(registration: Registration): EntityPath {
    const { queueName, topicName, subscriptionName } = registration.trigger;
    if (typeof queueName === 'string' && queueName) return parseEntityPath(queueName);
    if (typeof topicName === 'string' && typeof subscriptionName === 'string') {
        return parseEntityPath(`${topicName}/Subscriptions/${subscriptionName}`);
    }
    throw new Error(`${registration.name}: serviceBusTrigger needs queueName, or topicName and subscriptionName`);
}

/** `extensions.serviceBus.maxConcurrentCalls` (v5) or `messageHandlerOptions.maxConcurrentCalls` (v4) of host.json. */
export function maxConcurrentCalls(hostJson: Record<string, unknown>): number {
    const extensions = hostJson.extensions as Record<string, Record<string, unknown> | undefined> | undefined;
    const serviceBus = extensions?.serviceBus;
    const handler = serviceBus?.messageHandlerOptions as Record<string, unknown> | undefined;
    const value = serviceBus?.maxConcurrentCalls ?? handler?.maxConcurrentCalls;
    return typeof value === 'number' && value >= 1 ? Math.floor(value) : defaultMaxConcurrentCalls;
}

/** `cardinality: 'many'` triggers get batches of up to `maxMessageBatchSize` (host.json, default 1000) messages. */
export function maxMessageBatchSize(hostJson: Record<string, unknown>): number {
    const extensions = hostJson.extensions as Record<string, Record<string, unknown> | undefined> | undefined;
    const value = extensions?.serviceBus?.maxMessageBatchSize;
    return typeof value === 'number' && value >= 1 ? Math.floor(value) : 1000;
}

/** Service Bus stand-in: claims `serviceBusTrigger` registrations and serves `serviceBus` output bindings. */
export function createServiceBusExtension(): HostExtension {
    const registrations: Registration[] = [];
    let running: Running | undefined;

    return {
        name: 'serviceBus',
        claims: (registration) => registration.trigger.type === 'serviceBusTrigger',
        servesBinding: isOutput,
        register: (registration) => {
            triggerEntity(registration);
            registrations.push(registration);
        },
        // Before the app loads: the broker and its AMQP port, and every emulator connection string pointed at it.
        prepare: async (context) => {
            running = await prepareServiceBus(context);
        },
        start: async (context) => {
            if (!running) running = await prepareServiceBus(context);
            startTriggers(running, registrations);
        },
        handleOutputs: async (_registration, outputs) => {
            const serviceBusOutputs = outputs.filter((output) => isOutput(output.binding));
            if (serviceBusOutputs.length === 0) return;
            if (!running) throw new Error('Service Bus output before the Service Bus stand-in started');
            for (const output of serviceBusOutputs) await sendOutput(running, output);
        },
        describe: (registration) => {
            const entity = triggerEntity(registration);
            const where =
                entity.subscription !== undefined
                    ? `topic ${entity.entity} subscription ${entity.subscription}`
                    : `queue ${entity.entity}`;
            return `${registration.name}: serviceBusTrigger ${where}${entity.deadLetter ? ' (dead-letter queue)' : ''}`;
        },
        readyInfo: () => (running ? { serviceBusConnectionString: emulatorConnectionString(running.port) } : {}),
        stop: async () => {
            const current = running;
            running = undefined;
            if (!current) return;
            await current.endpoint.close();
            await Promise.all(current.pumps.map((pump) => pump.stop()));
        },
    };
}

async function prepareServiceBus(context: HostContext): Promise<Running> {
    const config = loadServiceBusConfig(context.appDir, context.setting(configSettingName));
    const connectionString = context.storageConnectionString;
    const table = (name: string): TableClient =>
        TableClient.fromConnectionString(connectionString, name, { allowInsecureConnection: true });
    const store = new MessageStore(connectionString);
    const duplicates = new DuplicateDetector(table('SbDuplicates'));
    const scheduled = new ScheduledIndex(table('SbScheduled'));
    await Promise.all([store.init(), duplicates.init(), scheduled.init()]);
    const broker = new ServiceBusBroker(store, duplicates, scheduled, config, context.logger);

    const endpoint = new AmqpEndpoint(broker, context.logger);
    const requested = portSettings
        .map((name) => context.setting(name))
        .find((value) => value !== undefined && value !== '');
    const wantedPort = requested === undefined ? defaultPort : Number(requested);
    const port = await endpoint.listen(wantedPort).catch((error: unknown) => {
        const holder = (error as NodeJS.ErrnoException).code === 'EADDRINUSE' ? describePortOwner(wantedPort) : '';
        throw new Error(
            `Service Bus stand-in cannot listen on 127.0.0.1:${wantedPort} (${holder || (error as Error).message}). ` +
                'Or start with --sb-port 0 for a free port.',
        );
    });
    const rewritten = rewriteEmulatorSettings(process.env, port);
    if (rewritten.length > 0)
        context.logger.info('Service Bus emulator settings point at the local stand-in', { settings: rewritten, port });
    return { broker, endpoint, pumps: [], port, context };
}

function startTriggers(running: Running, registrations: Registration[]): void {
    const { broker, context, port } = running;
    for (const registration of registrations) {
        const entity = triggerEntity(registration);
        if (entity.subscription !== undefined) broker.addSubscription(entity.entity, entity.subscription);
    }
    const concurrency = maxConcurrentCalls(context.hostJson);
    const batchSize = maxMessageBatchSize(context.hostJson);
    const pumps = registrations.map(
        (registration) =>
            new MessagePump(
                broker,
                triggerEntity(registration),
                registration.trigger.cardinality === 'many'
                    ? { maxConcurrentCalls: 1, batchSize }
                    : { maxConcurrentCalls: concurrency },
                (payload, triggerMetadata) => context.invoke(registration, payload, { triggerMetadata }),
                context.logger,
            ),
    );
    running.pumps.push(...pumps);
    for (const pump of pumps) pump.start();
    context.logger.info('Service Bus stand-in listening', { amqp: `127.0.0.1:${port}`, triggers: pumps.length });
}

async function sendOutput(running: Running, output: InvocationOutput): Promise<void> {
    const { queueName, topicName } = output.binding;
    const target = typeof queueName === 'string' && queueName ? queueName : topicName;
    if (typeof target !== 'string' || !target)
        throw new Error(`serviceBus output ${output.binding.name} names no queue or topic`);
    const messages = outputMessages(output.value);
    if (messages.length > 0) await running.broker.send(running.context.resolve(target), messages);
}
