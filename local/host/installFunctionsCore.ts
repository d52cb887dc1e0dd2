import Module from 'node:module';

import * as core from './functionsCoreModule';

const CORE_MODULE = '@azure/functions-core';

type ResolveFilename = (request: string, parent: unknown, isMain: boolean, options?: unknown) => string;
const moduleInternals = Module as unknown as { _resolveFilename: ResolveFilename };

let installed = false;

/**
 * Makes `require('@azure/functions-core')` resolve to this host's core module from anywhere in the process, as the
 * worker does. Must run before the app's `@azure/functions` is first used: the library looks the core up lazily, once,
 * and falls back to "test mode" (registrations silently dropped) when it is missing.
 */
export function installFunctionsCore(): typeof core {
    if (!installed) {
        const target = require.resolve('./functionsCoreModule');
        const original = moduleInternals._resolveFilename;
        moduleInternals._resolveFilename = function (request, parent, isMain, options) {
            if (request === CORE_MODULE) return target;
            return original.call(this, request, parent, isMain, options);
        };
        installed = true;
    }
    return core;
}
