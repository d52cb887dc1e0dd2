import { randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { format } from 'node:util';

import type * as functions from '@azure/functions';

import type {
    BindingMetadata,
    HostExtension,
    HostLogger,
    InvocationOutcome,
    InvocationOutput,
    InvokeOptions,
    Registration,
} from '../contracts';
import type { CoreHookCallback } from './functionsCoreModule';
import { runHooks } from './runHooks';

export interface InvokeDeps {
    functionsModule(): typeof functions;
    extensions: readonly HostExtension[];
    hooks: Map<string, CoreHookCallback[]>;
    /** Shared by every hook of the app (the worker's `appHookData`). */
    appHookData: Record<string, unknown>;
    logger: HostLogger;
}

const RETURN_KEY = '$return';

/** `context.options` as the library's `fromRpcBindings` builds it: bindings named by their key. */
function toEffectiveOptions(registration: Registration): functions.EffectiveFunctionOptions {
    const named = Object.entries(registration.metadata.bindings).map(([key, b]) => ({ ...b, name: key }));
    const isTrigger = (b: BindingMetadata): boolean => /trigger$/i.test(b.type);
    return {
        trigger: { ...registration.trigger, name: registration.trigger.name },
        return: named.find((b) => b.name === RETURN_KEY),
        extraInputs: named.filter((b) => !isTrigger(b) && b.direction === 'in'),
        extraOutputs: named.filter((b) => b.name !== RETURN_KEY && b.direction === 'out'),
    };
}

function collectOutputs(registration: Registration, context: functions.InvocationContext, result: unknown) {
    const outputs: InvocationOutput[] = [];
    for (const [key, binding] of Object.entries(registration.metadata.bindings)) {
        if (binding.direction !== 'out') continue;
        const value = key === RETURN_KEY ? result : context.extraOutputs.get(key);
        if (value !== undefined) outputs.push({ binding, value });
    }
    return outputs;
}

/**
 * `context.log` and friends: runs the app's log hooks first (synchronously, as the worker does; they may change the
 * level and message of user logs), then writes the line.
 */
function userLogger(
    deps: InvokeDeps,
    functionName: string,
    invocationId: string,
    invocationContext: () => functions.InvocationContext | undefined,
): functions.LogHandler {
    return (level, ...args) => {
        const entry = {
            level,
            message: format(...args),
            category: 'user',
            invocationContext: invocationContext(),
            hookData: {},
            appHookData: deps.appHookData,
        };
        for (const hook of deps.hooks.get('log') ?? []) {
            try {
                void hook(entry);
            } catch (err) {
                deps.logger.warn('A log hook threw', { error: String(err) });
            }
        }
        const message = `[${functionName}] ${entry.message}`;
        const data = { invocationId };
        if (entry.level === 'error' || entry.level === 'critical') deps.logger.error(message, data);
        else if (entry.level === 'warning') deps.logger.warn(message, data);
        else if (entry.level === 'information') deps.logger.info(message);
        else deps.logger.debug(message, data);
    };
}

/**
 * One invocation as the Node worker runs it (`InvocationHandler`): context from the app's own `@azure/functions`,
 * inputs from extensions, preInvocation hooks (which may replace inputs or the handler), the handler, postInvocation
 * hooks (which may replace the result or clear the error), then outputs to the extensions. Re-entrant: all state is
 * per call.
 */
export async function invokeFunction(
    deps: InvokeDeps,
    registration: Registration,
    triggerInput: unknown,
    options: InvokeOptions = {},
): Promise<InvocationOutcome> {
    const fx = deps.functionsModule();
    const invocationId = options.invocationId ?? randomUUID();
    const started = performance.now();
    const holder: { context?: functions.InvocationContext } = {};
    const context = new fx.InvocationContext({
        invocationId,
        functionName: registration.name,
        logHandler: userLogger(deps, registration.name, invocationId, () => holder.context),
        retryContext: options.retryContext,
        traceContext: {
            traceParent: `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`,
            traceState: '',
            attributes: {},
        },
        triggerMetadata: options.triggerMetadata,
        options: toEffectiveOptions(registration),
    });
    holder.context = context;
    const summary = (outcome: string): string =>
        `Executed 'Functions.${registration.name}' (${outcome}, Id=${invocationId}, Duration=${Math.round(
            performance.now() - started,
        )}ms)`;
    try {
        const inputs = new Map<string, unknown>(Object.entries(options.extraInputs ?? {}));
        for (const extension of deps.extensions) await extension.provideInputs?.(registration, inputs);
        for (const [name, value] of inputs) context.extraInputs.set(name, value);

        const hookData: Record<string, unknown> = {};
        const pre = {
            hookData,
            appHookData: deps.appHookData,
            invocationContext: context,
            inputs: [triggerInput],
            functionCallback: registration.callback,
        };
        await runHooks(deps.hooks, 'preInvocation', pre);
        let result: unknown;
        let error: unknown;
        try {
            result = await pre.functionCallback(...pre.inputs, context);
        } catch (err) {
            error = err;
        }
        const post = {
            hookData,
            appHookData: deps.appHookData,
            invocationContext: context,
            inputs: pre.inputs,
            result,
            error,
        };
        await runHooks(deps.hooks, 'postInvocation', post);
        // eslint-disable-next-line @typescript-eslint/only-throw-error -- the handler's own error, passed on unchanged
        if (post.error) throw post.error;

        const outputs = collectOutputs(registration, context, post.result);
        if (outputs.length > 0) {
            for (const extension of deps.extensions) await extension.handleOutputs?.(registration, outputs);
        }
        // Quiet invocations (orchestrator episodes: many per instance) log at debug level, so they can still be
        // counted (LOCAL_HOST_LOG_LEVEL=debug) without flooding the default log.
        if (options.quiet) deps.logger.debug(summary('Succeeded'));
        else deps.logger.info(summary('Succeeded'));
        return { invocationId, durationMs: performance.now() - started, result: post.result };
    } catch (err) {
        const reason = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
        if (options.quiet) deps.logger.debug(summary('Failed'), { error: reason });
        else deps.logger.error(summary('Failed'), { error: reason });
        throw err;
    }
}
