import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface LoadedSettings {
    /** The file the settings came from, or undefined when the app has neither file. */
    source: string | undefined;
    /** Names taken from the file (the ones the environment did not already set). */
    applied: string[];
}

/**
 * Reads `local.settings.json` (else `local.settings.sample.json`) like Core Tools: its `Values` become environment
 * variables, and a variable already set in the environment wins.
 */
export function applyLocalSettings(appDir: string, env: NodeJS.ProcessEnv = process.env): LoadedSettings {
    const candidates = ['local.settings.json', 'local.settings.sample.json'].map((f) => join(appDir, f));
    const source = candidates.find((f) => existsSync(f));
    if (!source) return { source: undefined, applied: [] };
    const parsed = JSON.parse(readFileSync(source, 'utf8')) as { Values?: Record<string, unknown> };
    const applied: string[] = [];
    for (const [name, value] of Object.entries(parsed.Values ?? {})) {
        if (env[name] !== undefined || value === null || value === undefined) continue;
        env[name] = typeof value === 'string' ? value : JSON.stringify(value);
        applied.push(name);
    }
    return { source, applied };
}

/**
 * Resolves `%NAME%` references the way the Functions host resolves binding expressions from app settings. A reference
 * to a missing setting is an error at start-up, as in the real host, unless `onMissing` takes it (the reference is
 * then left as it is).
 */
export function resolveSettingReferences(
    value: string,
    env: NodeJS.ProcessEnv = process.env,
    onMissing?: (name: string) => void,
): string {
    return value.replace(/%([^%]+)%/g, (whole, name: string) => {
        const resolved = env[name];
        if (resolved !== undefined) return resolved;
        if (onMissing) {
            onMissing(name);
            return whole;
        }
        throw new Error(`Binding expression '%${name}%' refers to app setting '${name}', which is not set`);
    });
}
