import { createTarget } from '../../shared/adapters/createTarget';
import { ConfigError, type TargetConfig } from '../../shared/domain/index';
import { InMemoryRateGovernor } from '../fakes/InMemoryRateGovernor';

const deps = (settings: Record<string, string>) => ({
    setting: (n: string) => settings[n],
    logger: { debug() {}, info() {}, warn() {}, error() {} },
    now: () => new Date(),
    fetch: globalThis.fetch,
    rateGovernor: new InMemoryRateGovernor({ now: () => new Date() }),
});

describe('createTarget', () => {
    it('when a webhook target is configured then the registry builds the signed webhook adapter', () => {
        const config: TargetConfig = {
            type: 'webhook',
            role: 'notify',
            enabled: true,
            options: { url: '%U%', secret: '%S%' },
        };

        const target = createTarget('hook', config, deps({ U: 'http://127.0.0.1:1/x', S: '0123456789abcdef' }));

        expect(target).toMatchObject({ name: 'hook', type: 'webhook', role: 'notify' });
    });

    it('when the type is unknown then building it is a configuration error', () => {
        const config = { type: 'fax', role: 'notify', enabled: true, options: {} } as unknown as TargetConfig;

        expect(() => createTarget('x', config, deps({}))).toThrow(ConfigError);
    });
});
