// Response fidelity cases: status, headers, cookies, JSON, text and binary bodies, errors, settings.
const { app, HttpResponse } = require('@azure/functions');

app.http('cookies', {
    methods: ['GET'],
    authLevel: 'anonymous',
    handler: () =>
        new HttpResponse({
            status: 201,
            headers: { 'x-custom': 'yes', 'cache-control': 'no-store' },
            cookies: [
                { name: 'session', value: 'abc', httpOnly: true, path: '/', sameSite: 'Strict' },
                { name: 'theme', value: 'dark', maxAge: 3600, secure: true },
            ],
            jsonBody: { created: true },
        }),
});

app.http('echo', {
    methods: ['POST'],
    authLevel: 'anonymous',
    handler: async (request) => {
        const bytes = Buffer.from(await request.arrayBuffer());
        return {
            status: 200,
            headers: { 'content-type': 'application/octet-stream', 'x-received-bytes': String(bytes.length) },
            body: bytes,
        };
    },
});

app.http('text', {
    methods: ['GET'],
    authLevel: 'anonymous',
    handler: () => ({ status: 202, body: 'plain text' }),
});

app.http('empty', {
    methods: ['GET'],
    authLevel: 'anonymous',
    handler: () => undefined,
});

app.http('boom', {
    methods: ['GET'],
    authLevel: 'anonymous',
    handler: () => {
        throw new Error('kaboom secret detail');
    },
});

app.http('settings', {
    methods: ['GET'],
    authLevel: 'anonymous',
    handler: () => ({
        jsonBody: {
            greeting: process.env.GREETING ?? null,
            overridden: process.env.OVERRIDDEN ?? null,
            storage: process.env.AzureWebJobsStorage ?? null,
            websiteHostname: process.env.WEBSITE_HOSTNAME ?? null,
        },
    }),
});

app.http('hooked', {
    methods: ['GET'],
    authLevel: 'anonymous',
    handler: () => ({ jsonBody: { handler: true } }),
});

app.http('rescued', {
    methods: ['GET'],
    authLevel: 'anonymous',
    handler: () => {
        throw new Error('fails, then postInvocation clears the error');
    },
});

app.http('hookState', {
    methods: ['GET'],
    authLevel: 'anonymous',
    handler: () => ({ jsonBody: globalThis.__basicHookState }),
});

app.http('logs', {
    methods: ['GET'],
    authLevel: 'anonymous',
    handler: (request, context) => {
        context.log('user log with secret-token inside');
        context.warn('a warning from the handler');
        return { body: 'logged' };
    },
});

// Takes a while, so a test can stop the host while it runs and check the answer still arrives.
app.http('slow', {
    methods: ['GET'],
    authLevel: 'anonymous',
    handler: async (request, context) => {
        context.log('slow request started');
        await new Promise((resolve) => setTimeout(resolve, 700));
        return { body: 'slow but complete' };
    },
});
