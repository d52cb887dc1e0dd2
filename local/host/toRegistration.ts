import type { BindingMetadata, FunctionCallback, FunctionMetadata, Registration } from '../contracts';

function resolveDeep(value: unknown, resolve: (v: string) => string): unknown {
    if (typeof value === 'string') return resolve(value);
    if (Array.isArray(value)) return value.map((v) => resolveDeep(v, resolve));
    if (value !== null && typeof value === 'object') {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveDeep(v, resolve)]));
    }
    return value;
}

/**
 * A captured `registerFunction` call as the host uses it: each binding named by its key (as `fromRpcBindings` does,
 * so the return binding is `$return`), every property with `%SETTING%` references resolved by `resolveFor(binding)`
 * (the real host resolves them in every binding attribute), and the trigger binding picked out.
 */
export function toRegistration(
    metadata: FunctionMetadata,
    callback: FunctionCallback,
    resolveFor: (binding: BindingMetadata) => (value: string) => string,
): Registration {
    const bindings: Record<string, BindingMetadata> = {};
    for (const [key, binding] of Object.entries(metadata.bindings)) {
        const named = { ...binding, name: key };
        bindings[key] = { ...(resolveDeep(named, resolveFor(named)) as BindingMetadata), name: key };
    }
    const trigger = Object.values(bindings).find((b) => b.direction === 'in' && /trigger$/i.test(b.type));
    if (!trigger) throw new Error(`Function '${metadata.name}' has no trigger binding`);
    return { name: metadata.name, metadata: { ...metadata, bindings }, callback, trigger };
}
