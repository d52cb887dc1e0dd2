/**
 * The app's single telemetry hook-up: import once from a module the host loads (see docs/deploy.md, "Telemetry").
 * It parents every invocation's spans to the host's own invocation trace so the worker's spans appear under the
 * host's request in Application Insights, and flushes what is buffered when the host stops the worker.
 */
import { app, type FunctionHandler, type PreInvocationContext } from '@azure/functions';
import { context } from '@opentelemetry/api';

import { setupTelemetry, type Telemetry, type TelemetrySettings } from './setupTelemetry';
import { contextFromCarrier } from './withSpan';

/** Runs the invocation's handler inside the trace context the host passed in (`traceparent` / `tracestate`). */
export function parentToInvocation(hook: PreInvocationContext): void {
    const traceContext = hook.invocationContext.traceContext;
    if (!traceContext?.traceParent) return;
    const parent = contextFromCarrier({ traceparent: traceContext.traceParent, tracestate: traceContext.traceState });
    const handler: FunctionHandler = hook.functionHandler;
    hook.functionHandler = (triggerInput: unknown, invocationContext): unknown =>
        context.with(parent, (): unknown => handler(triggerInput, invocationContext));
}

let registered: Telemetry | undefined;

/** Sets telemetry up and registers the hooks once; a no-op (nothing loaded, no hooks) without a connection string. */
export function registerTelemetryHooks(settings: TelemetrySettings): Telemetry {
    if (registered) return registered;
    const telemetry = setupTelemetry(settings);
    registered = telemetry;
    if (!telemetry.enabled) return telemetry;
    app.hook.preInvocation(parentToInvocation);
    app.hook.appTerminate(() => telemetry.shutdown());
    return telemetry;
}
