// Routing cases: optional, constrained, literal-vs-parameter precedence, catch-all, methods and auth levels.
const { app } = require('@azure/functions');

app.http('hello', {
    methods: ['GET'],
    authLevel: 'anonymous',
    route: 'hello/{name?}',
    handler: (request) => ({ body: `hello ${request.params.name ?? 'nobody'}` }),
});

app.http('item', {
    methods: ['GET', 'PUT'],
    authLevel: 'function',
    route: 'items/{id:int}',
    handler: async (request) => ({
        jsonBody: {
            id: request.params.id,
            method: request.method,
            q: request.query.get('q'),
            body: request.method === 'PUT' ? await request.json() : null,
        },
    }),
});

app.http('itemNew', {
    methods: ['GET'],
    authLevel: 'anonymous',
    route: 'items/new',
    handler: () => ({ body: 'the new-item form' }),
});

app.http('files', {
    methods: ['GET'],
    authLevel: 'anonymous',
    route: 'files/{*path}',
    handler: (request) => ({ body: `path=${request.params.path ?? ''}` }),
});

app.http('adminOnly', {
    authLevel: 'admin',
    route: 'admin/ping',
    handler: () => ({ body: 'admin pong' }),
});

// No route: the function name is the route; no methods: every method.
app.http('noRoute', {
    authLevel: 'anonymous',
    handler: (request) => ({ body: `noRoute ${request.method}` }),
});

app.http('report', {
    methods: ['GET'],
    authLevel: 'anonymous',
    route: '%REPORT_ROUTE%/{year:range(2000,2100)}',
    handler: (request) => ({ body: `report ${request.params.year}` }),
});
