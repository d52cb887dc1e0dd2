/**
 * Table string properties hold at most 64 KiB (32 K UTF-16 characters); a JSON document is split over numbered
 * properties so a full lead and its decision fit one entity (1 MiB).
 */
const CHUNK = 30_000;

export function writeJson(name: string, value: unknown): Record<string, string | number> {
    const text = JSON.stringify(value);
    const out: Record<string, string | number> = {};
    let parts = 0;
    for (let i = 0; i < text.length; i += CHUNK) out[`${name}${parts++}`] = text.slice(i, i + CHUNK);
    out[`${name}Parts`] = parts;
    return out;
}

export function readJson<T>(entity: Record<string, unknown>, name: string): T | undefined {
    const parts = entity[`${name}Parts`];
    if (typeof parts !== 'number' || parts === 0) return undefined;
    let text = '';
    for (let i = 0; i < parts; i++) {
        const part = entity[`${name}${i}`];
        if (typeof part !== 'string') return undefined;
        text += part;
    }
    return JSON.parse(text) as T;
}
