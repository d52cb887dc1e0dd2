import { app, type HttpFunctionOptions, type HttpRequest, type InvocationContext } from '@azure/functions';

import { operationsAuthLevel } from '../config';
import type { OperationsHandler } from './operationsEndpoint';

export type OperationsRouteOptions = Omit<HttpFunctionOptions, 'authLevel' | 'handler'> & {
    route: `api/${string}`;
    handler: OperationsHandler<HttpRequest, InvocationContext>;
};

/**
 * Registers a function of the operations API. The handler must come from `operationsEndpoint` (so it declared its
 * role and checks every caller), and the host's `authLevel` follows `OPERATIONS_AUTH`: `function` (the host checks
 * the key) or, with `entra`, `anonymous` so a signed-in person's request reaches the app's own check. A new route
 * cannot pick its own `authLevel` and end up open.
 */
export function operationsRoute(name: string, options: OperationsRouteOptions): void {
    app.http(name, { ...options, authLevel: operationsAuthLevel() });
}
