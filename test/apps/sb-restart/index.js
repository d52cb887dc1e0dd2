// The shape of the pipeline's intake after a restart: configuration read once and cached on first use (as the
// app's getConfig() does), a Service Bus sender built from it, and an orchestration whose activity is in flight when
// the host is killed, so the restarted host resumes it first thing.
const { appendFileSync, existsSync } = require('node:fs');
const { join } = require('node:path');

const { app } = require('@azure/functions');
const { ServiceBusClient } = require('@azure/service-bus');
const df = require('durable-functions');

let cached;
const config = () => (cached ??= { serviceBus: process.env.ServiceBusConnection, dir: process.env.RESTART_TEST_DIR });
let sender;
const getSender = () =>
    (sender ??= new ServiceBusClient(config().serviceBus, {
        retryOptions: { maxRetries: 0, timeoutInMs: 3000 },
    }).createSender('events'));

df.app.activity('slowStep', {
    handler: async (input) => {
        const { dir } = config();
        appendFileSync(join(dir, 'activity-runs.log'), `${input}\n`);
        // Holds until the test lets it finish (after the restart), so the kill finds it in flight.
        while (!existsSync(join(dir, 'release'))) await new Promise((resolve) => setTimeout(resolve, 50));
        return `done ${input}`;
    },
});

df.app.orchestration('inFlight', function* (context) {
    return yield context.df.callActivity('slowStep', context.df.getInput());
});

app.http('begin', {
    methods: ['POST'],
    authLevel: 'anonymous',
    extraInputs: [df.input.durableClient()],
    handler: async (request, context) => {
        const id = await df.getClient(context).startNew('inFlight', { input: await request.text() });
        return { status: 202, jsonBody: { id } };
    },
});

app.http('enqueue', {
    methods: ['POST'],
    authLevel: 'anonymous',
    handler: async (request) => {
        const body = await request.text();
        try {
            await getSender().sendMessages({ body, messageId: body });
            return { status: 202 };
        } catch (error) {
            return { status: 503, jsonBody: { error: String(error && error.message) } };
        }
    },
});

app.serviceBusQueue('received', {
    connection: 'ServiceBusConnection',
    queueName: 'events',
    handler: (message) => {
        appendFileSync(join(config().dir, 'received.log'), `${message}\n`);
    },
});
