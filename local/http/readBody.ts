import type { IncomingMessage } from 'node:http';

import { BodyTimeoutError, BodyTooLargeError, ClientAbortedError } from './httpErrors';

export interface BodyLimits {
    maxBytes: number;
    /** Named in the 413 answer, so the sender knows which setting refused it. */
    setting: string;
    idleMs: number;
}

/**
 * Reads a request body up to `maxBytes`. A declared `Content-Length` over the limit is refused before a byte is
 * read; a body that grows past the limit stops being read at once. Either way nothing past the limit is kept, and
 * the caller answers with `Connection: close`, so Node closes the socket instead of reading the rest of the
 * upload. A body that stalls for `idleMs` (a `Content-Length` that lies) is refused instead of waited for.
 */
export function readBody(req: IncomingMessage, limits: BodyLimits): Promise<Buffer> {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limits.maxBytes)
        return Promise.reject(new BodyTooLargeError(limits.maxBytes, limits.setting));
    if (req.complete) return Promise.resolve(Buffer.alloc(0));
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let idle: NodeJS.Timeout | undefined;
        const settle = (error: Error | undefined): void => {
            clearTimeout(idle);
            req.off('data', onData);
            req.off('end', onEnd);
            req.off('error', onError);
            req.off('close', onClose);
            if (error === undefined) return resolve(Buffer.concat(chunks));
            req.pause();
            reject(error);
        };
        const arm = (): void => {
            clearTimeout(idle);
            idle = setTimeout(() => settle(new BodyTimeoutError(limits.idleMs)), limits.idleMs);
        };
        const onData = (chunk: Buffer): void => {
            size += chunk.length;
            if (size > limits.maxBytes) return settle(new BodyTooLargeError(limits.maxBytes, limits.setting));
            chunks.push(chunk);
            arm();
        };
        const onEnd = (): void => settle(undefined);
        const onError = (): void => settle(new ClientAbortedError());
        const onClose = (): void => {
            if (!req.complete) settle(new ClientAbortedError());
        };
        req.on('data', onData);
        req.once('end', onEnd);
        req.once('error', onError);
        req.once('close', onClose);
        arm();
    });
}
