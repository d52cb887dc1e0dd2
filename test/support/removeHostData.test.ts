import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { waitFor } from './host';
import { removeHostData } from './removeHostData';

// Plays an orphaned Azurite: registers its pid, keeps writing into the folder for a while, then unregisters and exits.
const ORPHAN = `
const { writeFileSync, rmSync } = require('node:fs');
const { join } = require('node:path');
const [dir] = process.argv.slice(1);
const pidFile = join(dir, 'azurite.pid');
writeFileSync(pidFile, String(process.pid));
let n = 0;
const timer = setInterval(() => writeFileSync(join(dir, 'file' + n++), 'x'), 20);
setTimeout(() => { clearInterval(timer); rmSync(pidFile); process.exit(0); }, 1500);
`;

describe('removing a disk-mode host data folder', () => {
    it('when an orphaned Azurite still writes into it then it waits for that process and removes the folder', async () => {
        const dataDir = mkdtempSync(join(tmpdir(), 'remove-host-data-'));
        const location = join(dataDir, 'azurite');
        mkdirSync(location);
        const orphan = spawn(process.execPath, ['-e', ORPHAN, location], { stdio: 'ignore' });
        const exitCode = new Promise<number | null>((done) => orphan.once('exit', done));
        await waitFor(() => existsSync(join(location, 'azurite.pid')), 5000, 'orphan registered');

        await removeHostData(dataDir);

        expect(existsSync(dataDir)).toBe(false);
        expect(await exitCode).toBe(0); // it was never cut off mid-write
    });

    it('when nothing holds it then it removes it at once, and a missing folder is not an error', async () => {
        const dataDir = mkdtempSync(join(tmpdir(), 'remove-host-data-'));
        mkdirSync(join(dataDir, 'azurite'));
        await removeHostData(dataDir);
        expect(existsSync(dataDir)).toBe(false);
        await expect(removeHostData(dataDir)).resolves.toBeUndefined();
    });
});
