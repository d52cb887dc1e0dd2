import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';

import { createStaticAssets } from '../shared/adapters/console/staticAssets';
import { consoleHeaders } from '../shared/app/consolePolicy';
import { functionNames } from '../shared/names';

// Compiled: dist/functions/consoleSite.js next to dist/console; under ts-jest: functions/ next to dist/console.
const roots = [join(__dirname, '..', 'console'), join(__dirname, '..', 'dist', 'console')];
const assets = createStaticAssets(roots.find((r) => existsSync(join(r, 'index.html'))) ?? roots[0]!);

/** A page path of the app (no file extension): the one page serves them all, the app routes in the browser. */
const isPagePath = (path: string) => !/\.[A-Za-z0-9]+$/u.test(path);

/**
 * GET /console/{*path}: the lead console, a static page that talks to the operations API. The page holds no data
 * (every lead comes from the API, which checks the caller), so it is served to anyone, with a Content-Security-Policy
 * that allows only its own scripts and styles and no framing.
 */
export async function consoleSite(request: HttpRequest): Promise<HttpResponseInit> {
    const path = (request.params.path ?? '').replace(/^\/+/u, '');
    if (!assets.built()) {
        return {
            status: 503,
            headers: { ...consoleHeaders, 'Content-Type': 'text/plain; charset=utf-8' },
            body: 'The console has not been built: run npm run build.',
        };
    }
    const asset = assets.get(isPagePath(path) ? 'index.html' : path);
    if (asset === undefined) {
        return {
            status: 404,
            headers: { ...consoleHeaders, 'Content-Type': 'text/plain; charset=utf-8' },
            body: 'Not found',
        };
    }
    return Promise.resolve({
        status: 200,
        headers: {
            ...consoleHeaders,
            'Content-Type': asset.contentType,
            'Cache-Control': asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
        },
        body: asset.body,
    });
}

app.http(functionNames.consoleSite, {
    methods: ['GET'],
    authLevel: 'anonymous',
    route: 'console/{*path}',
    handler: consoleSite,
});
