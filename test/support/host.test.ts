import { join, resolve } from 'node:path';

import { hostCliPath } from './host';

const root = resolve(__dirname, '../..');

describe('hostCliPath', () => {
    it('when loaded from test/support (ts-jest) then it points at the compiled CLI in dist', () => {
        expect(hostCliPath(join(root, 'test/support'))).toBe(join(root, 'dist/local/cli.js'));
    });

    it('when compiled into dist/test/support (benchmarks) then it still points at dist/local/cli.js, not dist/dist', () => {
        expect(hostCliPath(join(root, 'dist/test/support'))).toBe(join(root, 'dist/local/cli.js'));
    });
});
