import { clearSharedTokenCaches, sharedTokenCache, TokenCache } from '../../../shared/adapters/crmKit/TokenCache';

describe('TokenCache', () => {
    let clock: number;
    let issued: number;
    let release: (() => void) | undefined;
    const now = () => new Date(clock);
    const source =
        (lifetimeMs: number | undefined, gated = false) =>
        async () => {
            if (gated) await new Promise<void>((r) => (release = r));
            issued += 1;
            return {
                accessToken: `t${issued}`,
                expiresAtMs: lifetimeMs === undefined ? undefined : clock + lifetimeMs,
            };
        };
    beforeEach(() => {
        clock = 1_000_000;
        issued = 0;
        release = undefined;
    });

    it('when callers ask at once, then one request is made and shared (single-flight)', async () => {
        const cache = new TokenCache(source(3_600_000, true), now);
        const all = Promise.all([cache.get(), cache.get(), cache.get()]);
        await new Promise((r) => setImmediate(r));
        release!();
        expect((await all).map((t) => t.accessToken)).toEqual(['t1', 't1', 't1']);
        expect(issued).toBe(1);
    });

    it('when the token is within the refresh margin of its expiry, then a new one is fetched before use', async () => {
        const cache = new TokenCache(source(3_600_000), now, { refreshBeforeMs: 300_000 });
        await cache.get();
        clock += 3_299_000;
        expect((await cache.get()).accessToken).toBe('t1');
        clock += 2_000;
        expect((await cache.get()).accessToken).toBe('t2');
    });

    it('when the issuer gives no expiry, then the default lifetime applies', async () => {
        const cache = new TokenCache(source(undefined), now, { defaultTtlMs: 600_000, refreshBeforeMs: 60_000 });
        await cache.get();
        clock += 539_000;
        expect((await cache.get()).accessToken).toBe('t1');
        clock += 2_000;
        expect((await cache.get()).accessToken).toBe('t2');
    });

    it('when a rejected token is invalidated, then only that token is dropped', async () => {
        const cache = new TokenCache(source(3_600_000), now);
        const first = await cache.get();
        cache.invalidate(first);
        const second = await cache.get();
        expect(second.accessToken).toBe('t2');
        cache.invalidate(first);
        expect((await cache.get()).accessToken).toBe('t2');
    });

    it('when the token request fails, then the error reaches the caller and the next call tries again', async () => {
        let fail = true;
        const cache = new TokenCache(
            () =>
                fail
                    ? Promise.reject(new Error('down'))
                    : Promise.resolve({ accessToken: 'ok', expiresAtMs: clock + 3_600_000 }),
            now,
        );
        await expect(cache.get()).rejects.toThrow('down');
        fail = false;
        await expect(cache.get()).resolves.toMatchObject({ accessToken: 'ok' });
    });
});

describe('sharedTokenCache', () => {
    afterEach(() => clearSharedTokenCaches());

    it('when a later target shares the credential then the token is shared and the next refresh is the later one’s', async () => {
        const now = () => new Date(0);
        const first = sharedTokenCache(['t', 'cred'], () => Promise.resolve({ accessToken: 'a', expiresAtMs: 1 }), now);
        const second = sharedTokenCache(
            ['t', 'cred'],
            () => Promise.resolve({ accessToken: 'b', expiresAtMs: 10 ** 12 }),
            now,
        );

        expect(second).toBe(first);
        expect((await second.get()).accessToken).toBe('b');
    });
});
