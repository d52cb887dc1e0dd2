// eslint-disable-next-line @typescript-eslint/no-require-imports -- jest.mock factories cannot use import
jest.mock('@azure/functions-core', () => require('../fakes/functionsCore'), { virtual: true });

import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';

import { functionNames } from '../../shared/names';
import { registrations } from '../fakes/functionsCore';

const dir = join(__dirname, '..', '..', 'functions');
const files = readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => basename(f, '.ts'))
    .sort();

describe('function registrations', () => {
    it('when every function file is loaded then each registers exactly the function named after it, as names.ts lists', () => {
        // The table poller registers only with a table destination (see marketplaceTablePollerRegistration.test.ts).
        const saved = process.env.MarketplaceLeadsStorage;
        process.env.MarketplaceLeadsStorage = 'UseDevelopmentStorage=true';
        try {
            // eslint-disable-next-line @typescript-eslint/no-require-imports -- loading each file is what registers it
            for (const file of files) require(join(dir, file));
        } finally {
            if (saved === undefined) delete process.env.MarketplaceLeadsStorage;
            else process.env.MarketplaceLeadsStorage = saved;
        }

        const registered = registrations.map((r) => r.metadata.name).sort();
        expect(registered).toEqual(files);
        expect([...new Set(Object.values(functionNames))].sort()).toEqual(files);
        expect(Object.values(functionNames)).toHaveLength(files.length);
    });
});
