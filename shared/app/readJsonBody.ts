import { ValidationError } from '../domain/index';
import { errorResponse, type HttpAnswer } from './errorResponse';
import { readBoundedBody } from './readBoundedBody';

/** Largest JSON body the operations API reads (a pipeline configuration for a what-if is the largest). */
export const MAX_OPERATIONS_BODY_BYTES = 256 * 1024;

/**
 * A request's JSON body, read up to {@link MAX_OPERATIONS_BODY_BYTES}: 413 past it, a `ValidationError` (400) when it
 * is not JSON. An empty body is `{}`.
 */
export async function readJsonBody(request: {
    body: ReadableStream<Uint8Array> | null;
    headers: { get(name: string): string | null };
}): Promise<{ value: unknown } | { answer: HttpAnswer }> {
    const raw = await readBoundedBody(request.body, request.headers.get('content-length'), MAX_OPERATIONS_BODY_BYTES);
    if (raw === 'too-large') {
        return { answer: errorResponse(413, 'too-large', `The body is over ${MAX_OPERATIONS_BODY_BYTES} bytes.`) };
    }
    const text = new TextDecoder().decode(raw).replace(/^\uFEFF/u, '');
    if (text.trim() === '') return { value: {} };
    try {
        return { value: JSON.parse(text) as unknown };
    } catch {
        throw new ValidationError('The body is not JSON', [{ path: '', message: 'is not valid JSON' }]);
    }
}
