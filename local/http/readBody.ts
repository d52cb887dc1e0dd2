import type { IncomingMessage } from 'node:http';

export class BodyTooLargeError extends Error {
    constructor(readonly limit: number) {
        super(`Request body exceeds ${limit} bytes`);
    }
}

/**
 * Reads a request body up to `limit` bytes. Past the limit (the declared length is checked first) it stops keeping
 * data and rejects, so an oversized upload is never buffered.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) return Promise.reject(new BodyTooLargeError(limit));
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const onData = (chunk: Buffer): void => {
            size += chunk.length;
            if (size > limit) {
                req.off('data', onData);
                req.pause();
                reject(new BodyTooLargeError(limit));
                return;
            }
            chunks.push(chunk);
        };
        req.on('data', onData);
        req.once('end', () => resolve(Buffer.concat(chunks)));
        req.once('error', reject);
    });
}
