import { existsSync, readFileSync } from 'node:fs';

export interface Record {
    fn: string;
    payload: unknown;
    metadata: { [key: string]: unknown };
    at: number;
}

/** Every line the test apps appended to their record file so far. */
export function readRecords(file: string): Record[] {
    if (!existsSync(file)) return [];
    return readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as Record);
}

export function recordsOf(file: string, fn: string): Record[] {
    return readRecords(file).filter((r) => r.fn === fn);
}
