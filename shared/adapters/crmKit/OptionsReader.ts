import { ConfigError } from '../../domain/index';
import { isHttpUrl } from './isHttpUrl';
import { readTimeout } from './readTimeout';

type Problem = { path: string; message: string };

/**
 * Validates a target's `options` (already `%SETTING%`-resolved), collecting every problem so the start-up error
 * names them all at once. Messages name options and settings, never their values (they may be secrets).
 */
export class OptionsReader {
    readonly problems: Problem[] = [];

    constructor(
        private readonly options: Record<string, unknown>,
        private readonly basePath: string,
        private readonly missingSettings: ReadonlyMap<string, string[]> = new Map(),
    ) {}

    string(key: string): string;
    string(key: string, opts: { optional: true; default?: string }): string | undefined;
    string(key: string, opts: { optional?: boolean; default?: string } = {}): string | undefined {
        const value = this.options[key];
        const missing = this.missingSettings.get(key);
        if (missing && missing.length > 0) {
            this.add(key, `references unset setting(s) ${missing.map((m) => `%${m}%`).join(', ')}`);
            return undefined;
        }
        if (value === undefined || value === null || value === '') {
            if (opts.default !== undefined) return opts.default;
            if (!opts.optional) this.add(key, 'is required');
            return undefined;
        }
        if (typeof value !== 'string') {
            this.add(key, 'must be a string');
            return undefined;
        }
        return value;
    }

    url(key: string): string;
    url(key: string, opts: { optional: true; default?: string }): string | undefined;
    url(key: string, opts: { optional?: boolean; default?: string } = {}): string | undefined {
        const value = opts.optional ? this.string(key, { optional: true, default: opts.default }) : this.string(key);
        if (value === undefined) return undefined;
        if (isHttpUrl(value)) return value.replace(/\/+$/, '');
        this.add(key, 'must be an absolute http(s) URL');
        return undefined;
    }

    oneOf<T extends string>(key: string, allowed: readonly T[], fallback: T): T {
        const value = this.string(key, { optional: true });
        if (value === undefined) return fallback;
        if ((allowed as readonly string[]).includes(value)) return value as T;
        this.add(key, `must be one of ${allowed.join(', ')}`);
        return fallback;
    }

    number(key: string, fallback: number, range: { min?: number; max?: number } = {}): number {
        const raw = this.options[key];
        if (raw === undefined || raw === null || raw === '') return fallback;
        const value = typeof raw === 'string' ? Number(raw) : raw;
        if (typeof value !== 'number' || !Number.isFinite(value)) {
            this.add(key, 'must be a number');
            return fallback;
        }
        if ((range.min !== undefined && value < range.min) || (range.max !== undefined && value > range.max)) {
            this.add(key, `must be between ${range.min ?? '-∞'} and ${range.max ?? '∞'}`);
            return fallback;
        }
        return value;
    }

    boolean(key: string, fallback: boolean): boolean {
        const raw = this.options[key];
        if (raw === undefined || raw === null || raw === '') return fallback;
        if (raw === true || raw === 'true') return true;
        if (raw === false || raw === 'false') return false;
        this.add(key, 'must be true or false');
        return fallback;
    }

    /**
     * An object of string (or number) values, e.g. `campaigns` (campaign id → CRM id). Keys and values are checked,
     * never echoed: they may be ids a publisher considers private.
     */
    valueMap(key: string): Record<string, string | number> | undefined {
        const raw = this.options[key];
        if (raw === undefined || raw === null) return undefined;
        if (typeof raw !== 'object' || Array.isArray(raw)) {
            this.add(key, 'must be an object');
            return undefined;
        }
        const map: Record<string, string | number> = {};
        for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
            if ((typeof value === 'string' && value !== '') || (typeof value === 'number' && Number.isFinite(value)))
                map[name] = value;
            else this.add(`${key}.${name}`, 'must be a non-empty string or a number');
        }
        return map;
    }

    /** The target's call timeout in ms: its `timeoutSeconds` or `timeoutMs`, else `fallbackMs` (see `readTimeout`). */
    timeout(fallbackMs: number): number {
        const { timeoutMs, problems } = readTimeout(this.options, this.basePath, fallbackMs);
        this.problems.push(...problems);
        return timeoutMs;
    }

    add(key: string, message: string): void {
        this.problems.push({ path: `${this.basePath}.${key}`, message });
    }

    /** Throws one `ConfigError` listing every problem found so far (including `extra`). */
    done(extra: Problem[] = []): void {
        const all = [...this.problems, ...extra];
        if (all.length > 0) throw new ConfigError(all);
    }
}
