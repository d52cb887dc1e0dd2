/**
 * Contracts between the parts of the embedded host. The host core (`local/host`) loads the app, captures its
 * registrations and owns invocation; trigger extensions (`local/serviceBus`, `local/durable`, timers, http) claim
 * registrations by trigger type and drive them. Nothing here knows the pipeline app.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import type * as functions from '@azure/functions';

/** A binding as `@azure/functions` passes it to `registerFunction` (names are generated, e.g. `httpTrigger1a2b`). */
export interface BindingMetadata {
    name: string;
    type: string;
    direction: 'in' | 'out' | 'inout';
    [property: string]: unknown;
}

/** What `@azure/functions-core`'s `registerFunction(metadata, callback)` receives. */
export interface FunctionMetadata {
    name: string;
    bindings: Record<string, BindingMetadata>;
    retryOptions?: unknown;
    [property: string]: unknown;
}

export type FunctionCallback = (...args: unknown[]) => unknown;

export interface Registration {
    name: string;
    metadata: FunctionMetadata;
    callback: FunctionCallback;
    /** The trigger binding (`direction: 'in'`, type ending in `Trigger`) with `%SETTING%` references resolved. */
    trigger: BindingMetadata;
}

export interface HostLogger {
    info(message: string, data?: Record<string, unknown>): void;
    warn(message: string, data?: Record<string, unknown>): void;
    error(message: string, data?: Record<string, unknown>): void;
    debug(message: string, data?: Record<string, unknown>): void;
}

export interface InvokeOptions {
    /** Becomes `context.triggerMetadata` (camel-cased keys, as the real worker delivers them). */
    triggerMetadata?: Record<string, unknown>;
    retryContext?: { retryCount: number; maxRetryCount: number };
    /** Extra inputs to pre-fill, keyed by binding name (extensions add theirs through `provideInputs`). */
    extraInputs?: Record<string, unknown>;
    /** An invocation id to use instead of a new one (e.g. to correlate durable episodes). */
    invocationId?: string;
    /**
     * Log the per-invocation line (success or failure) at debug level instead of info/error: durable replays would
     * flood the default log, yet the lines stay countable with `LOCAL_HOST_LOG_LEVEL=debug`.
     */
    quiet?: boolean;
}

export interface InvocationOutcome {
    invocationId: string;
    durationMs: number;
    /** The handler's return value. */
    result: unknown;
}

/** What every extension receives when the host starts. */
export interface HostContext {
    /** Absolute path of the app folder. */
    readonly appDir: string;
    /** Where disk-mode data lives (`<appDir>/.local`); extensions may keep files under it. */
    readonly dataDir: string;
    readonly storageMode: 'disk' | 'memory';
    /** Connection string of the host's Azurite (Blob, Queue, Table), usable by `@azure/*` SDK clients. */
    readonly storageConnectionString: string;
    /** `http://127.0.0.1:<port>` of the host's HTTP server. */
    readonly baseUrl: string;
    /** `host.json`, parsed. */
    readonly hostJson: Record<string, unknown>;
    readonly logger: HostLogger;
    /** Reads an app setting (the environment, after local.settings.json was applied). */
    setting(name: string): string | undefined;
    /** Resolves `%SETTING%` references inside a binding property value. */
    resolve(value: string): string;
    /**
     * Invokes a function the way the worker does: builds an `InvocationContext`, lets every extension provide
     * inputs, runs preInvocation hooks, calls the handler with `triggerInput`, runs postInvocation hooks, hands
     * the outputs to every extension, and logs one line (function, id, duration, outcome). Rejects when the handler
     * (or an output binding) throws.
     */
    invoke(registration: Registration, triggerInput: unknown, options?: InvokeOptions): Promise<InvocationOutcome>;
    /** Builds an `HttpRequest` of the app's own `@azure/functions` copy. */
    functionsModule(): typeof functions;
}

/** Outputs of one invocation: binding metadata plus the value the handler set (extraOutputs or `$return`). */
export interface InvocationOutput {
    binding: BindingMetadata;
    value: unknown;
}

/**
 * A trigger / binding extension. The host asks each extension whether it claims a registration (by trigger type),
 * then starts it. An HTTP route handler returns true when it handled the request.
 */
export interface HostExtension {
    readonly name: string;
    claims(registration: Registration): boolean;
    /** True for an input or output binding this extension gives a value or delivers (e.g. `serviceBus` out). */
    servesBinding?(binding: BindingMetadata): boolean;
    register(registration: Registration): void;
    /**
     * Runs before the app is loaded, after storage is up: open listeners and set the settings the app will read
     * (e.g. the Service Bus stand-in points `ServiceBusConnection` at its port), so no app code, hook or resumed
     * work ever sees a value the host changes later. No registration is known yet.
     */
    prepare?(context: HostContext): Promise<void>;
    /** Starts the triggers, after the app is loaded and its `appStart` hooks ran. */
    start(context: HostContext): Promise<void>;
    /** Fill input bindings this extension owns (e.g. `durableClient`) for any invocation. */
    provideInputs?(registration: Registration, inputs: Map<string, unknown>): Promise<void> | void;
    /** Deliver output bindings this extension owns (e.g. `serviceBus`) after a successful invocation. */
    handleOutputs?(registration: Registration, outputs: InvocationOutput[]): Promise<void>;
    /** Serve extra HTTP routes on the host's port (e.g. `/runtime/webhooks/durabletask/...`). */
    handleHttp?(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean>;
    /** Lines for the start-up banner, e.g. `leadEventStarter: serviceBusTrigger queue lead-events`. */
    describe?(registration: Registration): string;
    /**
     * Facts for tools (e.g. `{ serviceBusConnectionString }`), merged into the JSON the CLI prints after
     * `LOCAL_HOST_READY` when started with `--ready-line`.
     */
    readyInfo?(): Record<string, unknown>;
    /** Stop taking work, let in-flight invocations finish (bounded), release resources. */
    stop(): Promise<void>;
}
