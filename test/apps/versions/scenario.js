// One scenario, registered by two apps that differ only in the @azure/functions and durable-functions versions
// they install: `oldest` (the first 4.x and 3.x releases) and `newest` (the project's own). The modules are passed
// in, because Node resolves a require from the requiring file's folder.
module.exports = function registerScenario({ app }, df) {
    app.http('greet', {
        methods: ['GET'],
        authLevel: 'anonymous',
        route: 'greet/{name}',
        handler: (request) => ({
            jsonBody: {
                name: request.params.name,
                tags: request.query.get('tag'),
                header: request.headers.get('x-probe'),
                url: request.url,
            },
        }),
    });

    app.http('echo', {
        methods: ['POST'],
        authLevel: 'anonymous',
        handler: async (request) => ({ jsonBody: { method: request.method, body: await request.json() } }),
    });

    df.app.activity('fails', {
        handler: (input) => {
            throw new Error(`activity failed on ${input}`);
        },
    });
    df.app.activity('hello', { handler: (name) => `Hello ${name}` });

    df.app.orchestration('catchesFailures', function* (context) {
        const caught = [];
        try {
            yield context.df.callActivity('fails', 'plain');
        } catch (error) {
            caught.push(`activity: ${error.message}`);
        }
        try {
            yield context.df.callActivityWithRetry('fails', new df.RetryOptions(50, 2), 'retried');
        } catch (error) {
            caught.push(`retried: ${error.message}`);
        }
        try {
            yield context.df.callSubOrchestrator('throwsAtOnce');
        } catch (error) {
            caught.push(`child: ${error.message}`);
        }
        const after = yield context.df.callActivity('hello', 'after');
        return { caught, after };
    });

    df.app.orchestration('throwsAtOnce', function* (context) {
        yield context.df.callActivity('hello', 'child');
        throw new Error('child failed');
    });

    app.http('startAndWait', {
        methods: ['POST'],
        authLevel: 'anonymous',
        route: 'start/{name}',
        extraInputs: [df.input.durableClient()],
        handler: async (request, context) => {
            const client = df.getClient(context);
            const instanceId = await client.startNew(request.params.name);
            return client.waitForCompletionOrCreateCheckStatusResponse(request, instanceId, {
                timeoutInMilliseconds: 20000,
                retryIntervalInMilliseconds: 100,
            });
        },
    });

    app.http('startOnly', {
        methods: ['POST'],
        authLevel: 'anonymous',
        route: 'check/{name}',
        extraInputs: [df.input.durableClient()],
        handler: async (request, context) => {
            const client = df.getClient(context);
            const instanceId = await client.startNew(request.params.name);
            return client.createCheckStatusResponse(request, instanceId);
        },
    });
};
