import type { CoreHookCallback } from './functionsCoreModule';

/**
 * Runs the registered hooks of one kind in registration order, each awaited, as the worker's `executeHooks` does; a
 * throwing hook stops the chain and fails the caller (an invocation, or start-up for `appStart`).
 */
export async function runHooks(hooks: Map<string, CoreHookCallback[]>, name: string, context: object): Promise<void> {
    for (const hook of hooks.get(name) ?? []) {
        await hook(context);
    }
}
