import { type OperationsAccess, readOperationsAccess } from '../config';
import type { InvocationLog } from './contextLogger';
import { answeringErrors, type HttpAnswer } from './errorResponse';
import {
    authorizeCaller,
    type Caller,
    crossSiteRefusal,
    type OperationsRole,
    type RequestLike,
} from './operationsAccess';

/**
 * Answers of the operations API are personal data for one caller: never cached by a browser or proxy, never
 * sniffed into another type.
 */
const privateAnswer = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' };

/**
 * An operations API handler, carrying the role it declared: {@link operationsRoute} registers only these, and the
 * tests read `role` to check every route against the table of who may do what.
 */
export type OperationsHandler<R extends RequestLike = RequestLike, C = unknown> = ((
    request: R,
    context?: C,
) => Promise<HttpAnswer>) & { readonly role: OperationsRole };

/**
 * An operations API handler behind the access rules: a state-changing request from another site is refused, then
 * the caller must hold `role` ({@link authorizeCaller}), then `handler` runs with the caller; the app's own errors
 * answer with the error envelope. `access` (tests pass their own) defaults to the app's settings, read on each call,
 * so a handler that forgets it is checked like every other one, never let through.
 */
export function operationsEndpoint<R extends RequestLike, C extends InvocationLog | undefined>(
    role: OperationsRole,
    access: (() => OperationsAccess) | undefined,
    handler: (request: R, context: C, caller: Caller) => Promise<HttpAnswer>,
): OperationsHandler<R, C> {
    const accessOf = access ?? (() => readOperationsAccess());
    const inner = answeringErrors(async (request: R, context?: C) => {
        const refused = crossSiteRefusal(request);
        if (refused !== undefined) return refused;
        const decided = authorizeCaller(request, accessOf(), role);
        if ('answer' in decided) return decided.answer;
        return handler(request, context as C, decided.caller);
    });
    const endpoint = async (request: R, context?: C) => {
        const answer = await inner(request, context);
        return { ...answer, headers: { ...privateAnswer, ...answer.headers } };
    };
    return Object.assign(endpoint, { role });
}
