import type * as functions from '@azure/functions';

/**
 * Records what the app passes to `app.setup(...)` (the library keeps it private), so the host can say which of it
 * it does not apply, e.g. `enableHttpStream`. `app.setup` is a configurable getter on the library's `app` object;
 * the wrapper calls the original, so the library's own checks still run.
 */
export function watchAppSetup(fx: typeof functions): () => functions.SetupOptions[] {
    const calls: functions.SetupOptions[] = [];
    const app = fx.app as { setup?: (options: functions.SetupOptions) => void };
    const original = app.setup;
    const descriptor = Object.getOwnPropertyDescriptor(app, 'setup');
    if (typeof original !== 'function' || descriptor?.configurable !== true) return () => calls;
    Object.defineProperty(app, 'setup', {
        configurable: true,
        enumerable: true,
        value: (options: functions.SetupOptions): void => {
            calls.push(options);
            original(options);
        },
    });
    return () => calls;
}
