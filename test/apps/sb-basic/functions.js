// Service Bus test app for the embedded host: every trigger appends what it received to SB_RECORD_FILE (one JSON
// line per invocation), so tests can read deliveries even across host restarts.
const { appendFileSync } = require('node:fs');
const { app, output } = require('@azure/functions');
const { ServiceBusClient } = require('@azure/service-bus');

function record(fn, payload, context) {
    const line = { fn, payload, metadata: context.triggerMetadata, at: Date.now() };
    appendFileSync(process.env.SB_RECORD_FILE, JSON.stringify(line) + '\n');
}

function recorder(fn) {
    return async (payload, context) => record(fn, payload, context);
}

for (const queue of ['orders', 'dedupe', 'short-window', 'no-dedupe', 'scheduled', 'batch', 'relayed']) {
    app.serviceBusQueue(`on-${queue}`, {
        connection: 'ServiceBusConnection',
        queueName: queue,
        handler: recorder(queue),
    });
}

// cardinality 'many': an array of bodies and `<key>Array` metadata per invocation.
app.serviceBusQueue('many', {
    connection: 'ServiceBusConnection',
    queueName: 'many',
    cardinality: 'many',
    handler: recorder('many'),
});

app.serviceBusQueue('flaky', {
    connection: 'ServiceBusConnection',
    queueName: 'flaky',
    handler: async (payload, context) => {
        record('flaky', payload, context);
        throw new Error('flaky handler always fails');
    },
});

app.serviceBusQueue('flakyDeadLetters', {
    connection: 'ServiceBusConnection',
    queueName: 'flaky/$deadletterqueue',
    handler: recorder('flaky-dlq'),
});

// The output binding carries bodies only; an array sends several messages, to a queue named by a %setting%.
app.serviceBusQueue('relay', {
    connection: 'ServiceBusConnection',
    queueName: 'relay',
    return: output.serviceBusQueue({ connection: 'ServiceBusConnection', queueName: '%RELAY_TARGET%' }),
    handler: async (payload, context) => {
        record('relay', payload, context);
        return [{ relayed: payload.n, copy: 1 }, 'plain text'];
    },
});

app.serviceBusTopic('audit', {
    connection: 'ServiceBusConnection',
    topicName: 'events',
    subscriptionName: 'audit',
    handler: recorder('events/audit'),
});
app.serviceBusTopic('billing', {
    connection: 'ServiceBusConnection',
    topicName: 'events',
    subscriptionName: 'billing',
    handler: recorder('events/billing'),
});

// The app's own SDK client, with the emulator connection string from its settings (the host points it at its port).
app.http('forward', {
    methods: ['POST'],
    authLevel: 'anonymous',
    handler: async (request) => {
        const client = new ServiceBusClient(process.env.ServiceBusConnection);
        try {
            await client.createSender('orders').sendMessages({ body: await request.json(), messageId: 'from-http' });
        } finally {
            await client.close();
        }
        return { status: 202 };
    },
});
