// Hooks of the test app: appStart records that it ran; invocation hooks tag every call so tests can see them.
const { app } = require('@azure/functions');

const state = { appStarted: 0, pre: 0, post: 0 };
globalThis.__basicHookState = state;

app.hook.appStart((context) => {
    state.appStarted++;
    context.hookData.startedAt = 'app-start';
});

app.hook.preInvocation((context) => {
    state.pre++;
    context.hookData.preSeen = context.invocationContext.functionName;
    if (context.invocationContext.functionName === 'hooked') {
        const original = context.functionHandler;
        context.functionHandler = async (...args) => {
            const res = await original(...args);
            return { ...res, headers: { ...(res.headers || {}), 'x-wrapped-by': 'preInvocation' } };
        };
    }
});

app.hook.postInvocation((context) => {
    state.post++;
    if (context.invocationContext.functionName === 'hooked') {
        context.result = {
            ...context.result,
            jsonBody: { ...context.result.jsonBody, post: context.hookData.preSeen },
        };
    }
    if (context.invocationContext.functionName === 'rescued' && context.error) {
        context.error = undefined;
        context.result = { status: 200, body: 'rescued by postInvocation' };
    }
});

// Written to stdout so a test can see the hook ran during shutdown.
app.hook.appTerminate((context) => {
    console.log(`APP_TERMINATE_HOOK_RAN startedAt=${context.hookData.startedAt}`);
});

// A log hook that redacts: user log messages pass through it before the host writes them.
app.hook.log((context) => {
    if (context.category === 'user') context.message = context.message.replace(/secret-\w+/g, '[redacted]');
});
