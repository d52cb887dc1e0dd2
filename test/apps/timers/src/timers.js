// Timer cases; every invocation is recorded in memory and served by `timerLog` so tests can see what ran.
const { app } = require('@azure/functions');

const runs = [];
const record = (name) => (timer, context) => {
    runs.push({ name, at: new Date().toISOString(), timer, invocationId: context.invocationId });
};

app.timer('everySecond', { schedule: '*/1 * * * * *', handler: record('everySecond') });

app.timer('onStartup', { schedule: '0 0 0 1 1 *', runOnStartup: true, handler: record('onStartup') });

app.timer('fromSetting', { schedule: '%TICK_SCHEDULE%', handler: record('fromSetting') });

app.timer('monitored', { schedule: '*/1 * * * * *', useMonitor: true, handler: record('monitored') });

app.timer('failing', {
    schedule: '*/1 * * * * *',
    handler: (timer, context) => {
        record('failing')(timer, context);
        throw new Error('timer failure must not stop the schedule');
    },
});

app.http('timerLog', { methods: ['GET'], authLevel: 'anonymous', handler: () => ({ jsonBody: runs }) });

// Fails twice, then succeeds on the second retry (retry policy: fixed delay, 2 retries). Yearly, so only startup runs.
app.timer('retried', {
    schedule: '0 0 0 1 1 *',
    runOnStartup: true,
    retry: { strategy: 'fixedDelay', maxRetryCount: 2, delayInterval: { milliseconds: 200 } },
    handler: (timer, context) => {
        record('retried')({ ...timer, retryContext: context.retryContext }, context);
        if ((context.retryContext?.retryCount ?? 0) < 2) throw new Error('not yet');
    },
});
