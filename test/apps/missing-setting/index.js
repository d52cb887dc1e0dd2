// An HTTP trigger whose route names a setting nobody set: the host runs this binding, so it cannot start.
const { app } = require('@azure/functions');

app.http('reports', {
    methods: ['GET'],
    authLevel: 'anonymous',
    route: '%REPORTS_ROUTE_NOT_SET%/{year}',
    handler: () => ({ body: 'never' }),
});
