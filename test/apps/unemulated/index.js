// What the local host does not run, and what it must not stumble on: bindings it does not emulate (with settings
// that are not set), a trigger it does not run, app.setup options and a durable storage provider it does not apply,
// and relative paths that must resolve against the app folder, as in Azure.
const { readFileSync } = require('node:fs');

const { app, input, output } = require('@azure/functions');

app.setup({ enableHttpStream: true });

const sms = output.generic({
    type: 'twilioSms',
    accountSidSetting: 'TwilioAccountSid',
    authTokenSetting: 'TwilioAuthToken',
    from: '%TWILIO_FROM_NUMBER%',
});
const greeting = input.storageBlob({ path: 'greetings/%GREETING_BLOB%', connection: 'AzureWebJobsStorage' });

app.http('notify', {
    methods: ['POST'],
    authLevel: 'function',
    extraInputs: [greeting],
    extraOutputs: [sms],
    handler: (request, context) => {
        context.extraOutputs.set(sms, { body: 'a lead arrived' });
        return { jsonBody: { greeting: context.extraInputs.get(greeting) ?? null } };
    },
});

app.http('workingDirectory', {
    methods: ['GET'],
    authLevel: 'anonymous',
    handler: () => ({
        jsonBody: { cwd: process.cwd(), greeting: readFileSync('data/greeting.txt', 'utf8').trim() },
    }),
});

app.storageQueue('queued', {
    queueName: '%QUEUE_NAME%',
    connection: 'AzureWebJobsStorage',
    handler: () => undefined,
});
