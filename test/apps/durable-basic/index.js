// Function app for the durable tests of the embedded host: one orchestration per durable pattern.
const { app } = require('@azure/functions');
const df = require('durable-functions');
const fs = require('node:fs');
const path = require('node:path');

const attempts = new Map();

df.app.activity('hello', { handler: (name) => `Hello ${name}` });
df.app.activity('double', { handler: (n) => n * 2 });
df.app.activity('echo', { handler: (value) => value });
df.app.activity('flaky', {
    handler: (input) => {
        const count = (attempts.get(input.key) ?? 0) + 1;
        attempts.set(input.key, count);
        if (count < input.succeedOn) throw new Error(`flaky attempt ${count}`);
        return `ok on attempt ${count}`;
    },
});
// Waits until a file appears (crash tests) and records each run, so a test can count executions.
df.app.activity('gate', {
    handler: async (input) => {
        fs.appendFileSync(path.join(input.dir, 'runs.log'), `${input.id}\n`);
        while (!fs.existsSync(path.join(input.dir, 'open'))) await new Promise((r) => setTimeout(r, 50));
        return `passed ${input.id}`;
    },
});
df.app.activity('record', {
    handler: (input) => {
        fs.appendFileSync(path.join(input.dir, 'completions.log'), `${input.id}\n`);
        return input.id;
    },
});

df.app.orchestration('chain', function* (context) {
    const input = context.df.getInput();
    const out = [];
    for (const city of input.cities) out.push(yield context.df.callActivity('hello', city));
    return out;
});

df.app.orchestration('fanOut', function* (context) {
    const n = context.df.getInput();
    const tasks = [];
    for (let i = 1; i <= n; i++) tasks.push(context.df.callActivity('double', i));
    const results = yield context.df.Task.all(tasks);
    context.df.setCustomStatus({ stage: 'summed', count: results.length });
    return results.reduce((a, b) => a + b, 0);
});

df.app.orchestration('retrying', function* (context) {
    const input = context.df.getInput();
    const options = new df.RetryOptions(50, input.maxAttempts);
    options.backoffCoefficient = 2;
    const [flaky, plain] = yield context.df.Task.all([
        context.df.callActivityWithRetry('flaky', options, { key: input.key, succeedOn: input.succeedOn }),
        context.df.callActivity('double', 21),
    ]);
    const after = yield context.df.callActivity('hello', 'after');
    return [flaky, plain, after];
});

df.app.orchestration('approval', function* (context) {
    const deadline = new Date(context.df.currentUtcDateTime.getTime() + context.df.getInput().timeoutMs);
    const timer = context.df.createTimer(deadline);
    const event = context.df.waitForExternalEvent('approve');
    const winner = yield context.df.Task.any([event, timer]);
    if (winner === event) {
        timer.cancel();
        return { approved: event.result };
    }
    return { approved: false, timedOut: true };
});

df.app.orchestration('failing', function* (context) {
    yield context.df.callActivity('echo', 1);
    throw new Error(`child failed: ${context.df.getInput()}`);
});

df.app.orchestration('parentCatches', function* (context) {
    const child = yield context.df.callSubOrchestrator('fanOut', 4);
    try {
        yield context.df.callSubOrchestratorWithRetry('failing', new df.RetryOptions(20, 2), 'boom');
        return { child, caught: null };
    } catch (error) {
        return { child, caught: error.message };
    }
});

df.app.orchestration('counter', function* (context) {
    const n = context.df.getInput();
    yield context.df.callActivity('echo', n);
    if (n < 3) {
        context.df.continueAsNew(n + 1);
        return undefined;
    }
    return `done at ${n}`;
});

df.app.orchestration('waiter', function* (context) {
    context.df.setCustomStatus('waiting');
    const value = yield context.df.waitForExternalEvent('go');
    context.df.setCustomStatus('got it');
    return value;
});

df.app.orchestration('useCounter', function* (context) {
    const id = new df.EntityId('counterEntity', context.df.getInput());
    context.df.signalEntity(id, 'add', 5);
    context.df.signalEntity(id, 'add', 7);
    const value = yield context.df.callEntity(id, 'get');
    return value;
});

df.app.entity('counterEntity', (context) => {
    const state = context.df.getState(() => 0);
    switch (context.df.operationName) {
        case 'add':
            context.df.setState(state + context.df.getInput());
            break;
        case 'reset':
            context.df.setState(0);
            break;
        case 'get':
            context.df.return(state);
            break;
        case 'explode':
            throw new Error('entity operation exploded');
    }
});

// Crash test: an activity that blocks until released, then a durable timer, then a recorded completion.
df.app.orchestration('crashy', function* (context) {
    const input = context.df.getInput();
    const passed = yield context.df.callActivity('gate', input);
    yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + input.timerMs));
    yield context.df.callActivity('record', input);
    return passed;
});

const client = df.input.durableClient();

app.http('startOrchestration', {
    route: 'orchestrators/{name}/{id?}',
    methods: ['POST'],
    authLevel: 'anonymous',
    extraInputs: [client],
    handler: async (request, context) => {
        const durable = df.getClient(context);
        const body = await request.text();
        const instanceId = await durable.startNew(request.params.name, {
            instanceId: request.params.id || undefined,
            input: body ? JSON.parse(body) : undefined,
        });
        if (request.query.get('wait')) {
            return durable.waitForCompletionOrCreateCheckStatusResponse(request, instanceId, {
                timeoutInMilliseconds: Number(request.query.get('wait')),
                retryIntervalInMilliseconds: 50,
            });
        }
        return durable.createCheckStatusResponse(request, instanceId);
    },
});

app.http('entityOps', {
    route: 'entities/{name}/{key}',
    methods: ['GET', 'POST'],
    authLevel: 'anonymous',
    extraInputs: [client],
    handler: async (request, context) => {
        const durable = df.getClient(context);
        const id = new df.EntityId(request.params.name, request.params.key);
        if (request.method === 'POST') {
            const body = await request.text();
            await durable.signalEntity(id, request.query.get('op'), body ? JSON.parse(body) : undefined);
            return { status: 202 };
        }
        const state = await durable.readEntityState(id);
        return { jsonBody: state };
    },
});

// Uses the client's own calls (status, list, events, terminate, suspend, purge) so the tests exercise the SDK.
app.http('clientOps', {
    route: 'client/{op}/{id?}',
    methods: ['POST'],
    authLevel: 'anonymous',
    extraInputs: [client],
    handler: async (request, context) => {
        const durable = df.getClient(context);
        const id = request.params.id;
        const body = await request.text();
        const args = body ? JSON.parse(body) : {};
        switch (request.params.op) {
            case 'status':
                return { jsonBody: await durable.getStatus(id, args) };
            case 'list':
                return {
                    jsonBody: await durable.getStatusBy({
                        runtimeStatus: args.runtimeStatus,
                        createdTimeFrom: args.createdTimeFrom ? new Date(args.createdTimeFrom) : undefined,
                    }),
                };
            case 'all':
                return { jsonBody: (await durable.getStatusAll()).map((s) => s.instanceId) };
            case 'raise':
                await durable.raiseEvent(id, args.name, args.data);
                return { status: 202 };
            case 'terminate':
                await durable.terminate(id, args.reason);
                return { status: 202 };
            case 'suspend':
                await durable.suspend(id, 'test');
                return { status: 202 };
            case 'resume':
                await durable.resume(id, 'test');
                return { status: 202 };
            case 'purge':
                return { jsonBody: await durable.purgeInstanceHistory(id) };
            case 'purgeBy':
                return {
                    jsonBody: await durable.purgeInstanceHistoryBy({
                        createdTimeFrom: new Date(args.createdTimeFrom),
                        runtimeStatus: args.runtimeStatus,
                    }),
                };
            default:
                return { status: 400 };
        }
    },
});

// The same timer raced twice: the second Task.any carries the already-numbered timer action again.
df.app.orchestration('twoRaces', function* (context) {
    const timeout = context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 60000));
    const first = context.df.waitForExternalEvent('first');
    yield context.df.Task.any([first, timeout]);
    const doubled = yield context.df.callActivity('double', first.result);
    const second = context.df.waitForExternalEvent('second');
    const winner = yield context.df.Task.any([second, timeout]);
    if (winner === second) timeout.cancel();
    const tripled = yield context.df.callActivity('double', second.result);
    return [doubled, tripled];
});

df.app.orchestration('entityFailure', function* (context) {
    try {
        yield context.df.callEntity(new df.EntityId('counterEntity', 'broken'), 'explode');
        return 'no error';
    } catch (error) {
        return `caught: ${error.message}`;
    }
});

df.app.orchestration('versioned', function* (context) {
    yield context.df.callActivity('echo', 0);
    return context.df.version ?? null;
});

df.app.activity('alwaysFails', {
    handler: (input) => {
        throw new Error(`always fails ${input}`);
    },
});

// The retry timeout ends retrying before maxNumberOfAttempts is reached. DTFx checks it when an attempt fails:
// attempt 1 fails within 200 ms (a retry in 300 ms), attempt 2 fails past it (no more).
df.app.orchestration('retryTimeout', function* (context) {
    const options = new df.RetryOptions(300, 5);
    options.retryTimeoutInMilliseconds = 200;
    yield context.df.callActivityWithRetry('alwaysFails', options, 'x');
});

// Two attempts 500 ms apart that both fail: DTFx waits one more interval after the last before reporting.
df.app.orchestration('retryExhaustedTiming', function* (context) {
    yield context.df.callActivityWithRetry('alwaysFails', new df.RetryOptions(500, 2), 'timing');
});

// Crash test: a parent waiting on a sub-orchestration that is itself mid-flight.
df.app.orchestration('crashParent', function* (context) {
    const input = context.df.getInput();
    const result = yield context.df.callSubOrchestrator('crashy', input, `${context.df.instanceId}-child`);
    return `parent got ${result}`;
});

// Reports the highest number of its own invocations that ran at once.
let slowRunning = 0;
let slowMax = 0;
df.app.activity('slow', {
    handler: async () => {
        slowRunning++;
        slowMax = Math.max(slowMax, slowRunning);
        await new Promise((r) => setTimeout(r, 30));
        slowRunning--;
        return slowMax;
    },
});

df.app.orchestration('fanOutSlow', function* (context) {
    const results = yield context.df.Task.all(Array.from({ length: 12 }, () => context.df.callActivity('slow')));
    return Math.max(...results);
});

// The SDK's own client wrapper (df.app.client.http) passes the DurableClient as the second argument.
df.app.client.http('clientStarter', {
    route: 'client-start/{name}',
    methods: ['POST'],
    authLevel: 'anonymous',
    handler: async (request, durable) => {
        const instanceId = await durable.startNew(request.params.name, { input: await request.json() });
        return durable.waitForCompletionOrCreateCheckStatusResponse(request, instanceId, {
            timeoutInMilliseconds: 10000,
            retryIntervalInMilliseconds: 50,
        });
    },
});

df.app.activity('bigint', { handler: () => 1n });

df.app.orchestration('badResult', function* (context) {
    try {
        yield context.df.callActivity('bigint');
        return 'no error';
    } catch (error) {
        return `caught: ${error.message}`;
    }
});

df.app.orchestration('versionedParent', function* (context) {
    return yield context.df.callSubOrchestrator('versioned', undefined, undefined, '3.0');
});

// Rewind: the first run of the activity fails (uncaught), a rewind runs it again.
df.app.orchestration('rewindable', function* (context) {
    const key = context.df.getInput();
    const first = yield context.df.callActivity('echo', 'before');
    const flaky = yield context.df.callActivity('flaky', { key, succeedOn: 2 });
    return [first, flaky];
});

df.app.orchestration('rewindParent', function* (context) {
    const child = yield context.df.callSubOrchestrator('rewindable', context.df.getInput());
    return { child };
});
