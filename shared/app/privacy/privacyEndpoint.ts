import type { InvocationLog } from '../contextLogger';
import { answeringErrors, type HttpAnswer } from '../errorResponse';

/**
 * Answers of the privacy API carry personal data (an export) or say who asked to be erased: never cached by a
 * browser or a proxy, never sniffed into another type.
 */
const privateAnswer = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' };

/**
 * A privacy API handler: the app's own errors answer with the error envelope, every answer is private. These
 * endpoints change or reveal a person's data, so they are for operators only: today the function key (checked by the
 * host before the app runs) is that check; when the operations API gains roles, this is where the `operate` role is
 * required (the shape of the lead console's `operationsEndpoint('operate', …)`).
 */
export function privacyEndpoint<R, C extends InvocationLog | undefined>(
    handler: (request: R, context: C) => Promise<HttpAnswer>,
): (request: R, context?: C) => Promise<HttpAnswer> {
    const inner = answeringErrors(async (request: R, context?: C) => handler(request, context as C));
    return async (request, context) => {
        const answer = await inner(request, context);
        return { ...answer, headers: { ...privateAnswer, ...answer.headers } };
    };
}
