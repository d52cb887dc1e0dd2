/**
 * Reads a request body up to `maxBytes`, stopping (and cancelling the stream) as soon as it grows past the limit, so
 * an oversized body is never buffered whole. A declared `Content-Length` over the limit is refused before reading.
 */
export async function readBoundedBody(
    body: ReadableStream<Uint8Array> | null,
    contentLength: string | null,
    maxBytes: number,
): Promise<Uint8Array | 'too-large'> {
    const declared = contentLength === null ? NaN : Number(contentLength);
    if (Number.isFinite(declared) && declared > maxBytes) {
        await body?.cancel().catch(() => undefined);
        return 'too-large';
    }
    if (body === null) return new Uint8Array(0);
    const reader = body.getReader();
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        total += value.byteLength;
        if (total > maxBytes) {
            await reader.cancel().catch(() => undefined);
            return 'too-large';
        }
        chunks.push(value);
    }
    const out = new Uint8Array(total);
    let offset = 0;
    for (const chunk of chunks) {
        out.set(chunk, offset);
        offset += chunk.byteLength;
    }
    return out;
}
