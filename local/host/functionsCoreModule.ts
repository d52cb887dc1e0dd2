/**
 * The module the real Node worker injects as `@azure/functions-core`. `@azure/functions` (and, through it,
 * `durable-functions`) calls these four members; everything it registers lands in `captured`, so the host learns
 * every function's metadata and handler from the app itself. One instance per process, like the worker's.
 */
import type { FunctionCallback, FunctionMetadata } from '../contracts';

export type CoreHookCallback = (context: unknown) => unknown;
export type CoreLogHandler = (level: string, category: string, message: string) => void;

export interface CapturedRegistrations {
    functions: { metadata: FunctionMetadata; callback: FunctionCallback }[];
    hooks: Map<string, CoreHookCallback[]>;
    programmingModel: { name?: string; version?: string } | undefined;
    logHandler: CoreLogHandler;
}

export const captured: CapturedRegistrations = {
    functions: [],
    hooks: new Map(),
    programmingModel: undefined,
    logHandler: () => {},
};

function disposable(dispose: () => void): { dispose(): void } {
    return { dispose };
}

export function setProgrammingModel(model: { name?: string; version?: string }): void {
    captured.programmingModel = model;
}

export function getProgrammingModel(): unknown {
    return captured.programmingModel;
}

export function registerFunction(metadata: FunctionMetadata, callback: FunctionCallback): { dispose(): void } {
    const entry = { metadata, callback };
    captured.functions.push(entry);
    return disposable(() => {
        captured.functions = captured.functions.filter((e) => e !== entry);
    });
}

export function registerHook(name: string, callback: CoreHookCallback): { dispose(): void } {
    const list = captured.hooks.get(name) ?? [];
    list.push(callback);
    captured.hooks.set(name, list);
    return disposable(() => {
        const current = captured.hooks.get(name) ?? [];
        captured.hooks.set(
            name,
            current.filter((c) => c !== callback),
        );
    });
}

export function log(level: string, category: string, message: string): void {
    captured.logHandler(level, category, message);
}
