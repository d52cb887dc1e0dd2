// Slow handlers under a concurrency limit of 2 (host.json), for the concurrency, lock renewal and crash tests.
// Each invocation appends a JSON line to SB_RECORD_FILE with the number of invocations running at its start.
const { appendFileSync } = require('node:fs');
const { app } = require('@azure/functions');

const running = { work: 0, long: 0 };
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function slowRecorder(fn, delayMs) {
    return async (payload, context) => {
        running[fn]++;
        try {
            const line = { fn, payload, metadata: context.triggerMetadata, concurrent: running[fn], at: Date.now() };
            appendFileSync(process.env.SB_RECORD_FILE, JSON.stringify(line) + '\n');
            // A message asking to be held is held on its first delivery only (the crash test kills the host meanwhile).
            const hold = payload && payload.holdMs && context.triggerMetadata.deliveryCount === 1;
            await sleep(hold ? payload.holdMs : delayMs);
        } finally {
            running[fn]--;
        }
    };
}

app.serviceBusQueue('work', {
    connection: 'ServiceBusConnection',
    queueName: 'work',
    handler: slowRecorder('work', 300),
});
// Runs longer than its queue's 2 s lock: only lock renewal keeps it from being delivered twice.
app.serviceBusQueue('long', {
    connection: 'ServiceBusConnection',
    queueName: 'long',
    handler: slowRecorder('long', 5000),
});
