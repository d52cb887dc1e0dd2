import type { OperationsAccess } from '../config';
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

const functionKeyAccess: OperationsAccess = { mode: 'function-key' };

/**
 * An operations API handler behind the access rules: a state-changing request from another site is refused, then
 * the caller must hold `role` ({@link authorizeCaller}), then `handler` runs with the caller; the app's own errors
 * answer with the error envelope. `access` defaults to function-key mode, where the host has checked the key.
 */
export function operationsEndpoint<R extends RequestLike, C extends InvocationLog | undefined>(
    role: OperationsRole,
    access: (() => OperationsAccess) | undefined,
    handler: (request: R, context: C, caller: Caller) => Promise<HttpAnswer>,
): (request: R, context?: C) => Promise<HttpAnswer> {
    const inner = answeringErrors(async (request: R, context?: C) => {
        const refused = crossSiteRefusal(request);
        if (refused !== undefined) return refused;
        const decided = authorizeCaller(request, access?.() ?? functionKeyAccess, role);
        if ('answer' in decided) return decided.answer;
        return handler(request, context as C, decided.caller);
    });
    return async (request, context) => {
        const answer = await inner(request, context);
        return { ...answer, headers: { ...privateAnswer, ...answer.headers } };
    };
}
