// eslint-disable-next-line @typescript-eslint/no-require-imports -- jest.mock factories cannot use import
jest.mock('@azure/functions-core', () => require('../fakes/functionsCore'), { virtual: true });

import { marketplaceTableConfigured } from '../../shared/config';
import type * as FunctionsCore from '../fakes/functionsCore';

const settings = [
    'MarketplaceLeadsStorage',
    'MarketplaceLeadsStorage__accountName',
    'MarketplaceLeadsStorage__tableServiceUri',
] as const;

function registeredWith(env: Partial<Record<(typeof settings)[number], string>>): string[] {
    const saved = Object.fromEntries(settings.map((s) => [s, process.env[s]]));
    for (const s of settings) delete process.env[s];
    Object.assign(process.env, env);
    try {
        let names: string[] = [];
        jest.isolateModules(() => {
            // A fresh module registry per environment: the function file registers (or not) at import time.
            /* eslint-disable @typescript-eslint/no-require-imports */
            const core = require('../fakes/functionsCore') as typeof FunctionsCore;
            require('../../functions/marketplaceTablePoller');
            /* eslint-enable @typescript-eslint/no-require-imports */
            names = core.registrations.map((r) => r.metadata.name);
        });
        return names;
    } finally {
        for (const s of settings) {
            if (saved[s] === undefined) delete process.env[s];
            else process.env[s] = saved[s];
        }
    }
}

describe('marketplaceTablePoller registration', () => {
    it('when no marketplace table account is configured (the default in Azure), then the poller timer is not registered', () => {
        expect(registeredWith({})).toEqual([]);
        expect(marketplaceTableConfigured({})).toBe(false);
    });

    it('when the table destination account is given (identity-based), then the poller is registered', () => {
        expect(registeredWith({ MarketplaceLeadsStorage__accountName: 'stleads' })).toEqual(['marketplaceTablePoller']);
        expect(
            marketplaceTableConfigured({
                MarketplaceLeadsStorage__tableServiceUri: 'https://stleads.table.core.windows.net/',
            }),
        ).toBe(true);
    });

    it('when a connection string is given (the local host, Azurite), then the poller is registered', () => {
        expect(registeredWith({ MarketplaceLeadsStorage: 'UseDevelopmentStorage=true' })).toEqual([
            'marketplaceTablePoller',
        ]);
    });
});
