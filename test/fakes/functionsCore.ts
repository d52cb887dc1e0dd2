/**
 * Stand-in for the module the Functions worker injects, so importing function files in tests registers them quietly
 * instead of printing the "test mode" warning. Use with
 * `jest.mock('@azure/functions-core', () => require('../fakes/functionsCore'), { virtual: true })`.
 */
export const registrations: { metadata: { name: string }; callback: unknown }[] = [];
export function setProgrammingModel(): void {}
/** Hooks the app registered (`app.hook.*`), so a test can run them as the worker would. */
export const hooks: { name: string; callback: (context: unknown) => unknown }[] = [];
export function registerHook(name: string, callback: (context: unknown) => unknown) {
    hooks.push({ name, callback });
    return { dispose() {} };
}
export function log(): void {}
export function registerFunction(metadata: { name: string }, callback: unknown) {
    registrations.push({ metadata, callback });
    return { dispose() {} };
}
