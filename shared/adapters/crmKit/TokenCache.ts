import { createHash } from 'node:crypto';

/** What a token source returns: the bearer value, when it expires (epoch ms, if known) and any extra data. */
export interface Token {
    accessToken: string;
    /** Epoch milliseconds; `undefined` when the issuer does not say (the cache then uses `defaultTtlMs`). */
    expiresAtMs?: number;
}

export interface TokenCacheOptions {
    /** Refresh this long before the token expires, so no request leaves with a token about to die. */
    refreshBeforeMs?: number;
    /** Lifetime assumed when the issuer gives none (Salesforce sessions do not say; the org's timeout applies). */
    defaultTtlMs?: number;
}

/**
 * Caches one access token per target. Concurrent callers share a single in-flight request (single-flight), the
 * token is refreshed `refreshBeforeMs` before its expiry, and `invalidate(token)` after an auth failure drops only
 * that token, so two callers failing with the same stale token trigger one refresh, not two.
 */
export class TokenCache<T extends Token> {
    private current: { token: T; refreshAtMs: number } | undefined;
    private inFlight: Promise<T> | undefined;
    private readonly refreshBeforeMs: number;
    private readonly defaultTtlMs: number;

    constructor(
        private fetchToken: () => Promise<T>,
        private readonly now: () => Date,
        options: TokenCacheOptions = {},
    ) {
        this.refreshBeforeMs = options.refreshBeforeMs ?? 5 * 60_000;
        this.defaultTtlMs = options.defaultTtlMs ?? 30 * 60_000;
    }

    async get(): Promise<T> {
        const nowMs = this.now().getTime();
        if (this.current && nowMs < this.current.refreshAtMs) return this.current.token;
        this.inFlight ??= this.refresh(nowMs).finally(() => {
            this.inFlight = undefined;
        });
        return this.inFlight;
    }

    /** The next refresh asks `fetchToken` (the newest target built for this credential), not the first one's. */
    useSource(fetchToken: () => Promise<T>): void {
        this.fetchToken = fetchToken;
    }

    /** Forgets `token` if it is still the cached one (after the server rejected it). */
    invalidate(token: T): void {
        if (this.current?.token.accessToken === token.accessToken) this.current = undefined;
    }

    private async refresh(requestedAtMs: number): Promise<T> {
        const token = await this.fetchToken();
        const expiresAtMs = token.expiresAtMs ?? requestedAtMs + this.defaultTtlMs;
        const lifetime = expiresAtMs - requestedAtMs;
        // A short-lived token refreshes halfway through rather than immediately.
        const margin = Math.min(this.refreshBeforeMs, Math.max(0, lifetime / 2));
        this.current = { token, refreshAtMs: expiresAtMs - margin };
        return token;
    }
}

const registry = new Map<string, TokenCache<Token>>();

/**
 * The process-wide cache for one credential. Targets are built per invocation (so their logs join it), but a token
 * must outlive them: Salesforce and Marketo limit logins, and a token per lead would double the calls. The key
 * is the target name plus a hash of everything that identifies the credential, so a rotated secret gets a new token.
 * The token is shared; how to fetch the next one is the latest target's (a target built only to validate its
 * options at start-up leaves no trace).
 */
export function sharedTokenCache<T extends Token>(
    parts: readonly (string | undefined)[],
    fetchToken: () => Promise<T>,
    now: () => Date,
    options?: TokenCacheOptions,
): TokenCache<T> {
    const key = createHash('sha256').update(JSON.stringify(parts)).digest('hex');
    let cache = registry.get(key) as TokenCache<T> | undefined;
    if (!cache) {
        cache = new TokenCache(fetchToken, now, options);
        registry.set(key, cache);
    } else cache.useSource(fetchToken);
    return cache;
}

/** Forgets every shared token (tests that restart their fake identity provider). */
export function clearSharedTokenCaches(): void {
    registry.clear();
}
