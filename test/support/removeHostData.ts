/**
 * Removes a disk-mode host data folder. A host killed with SIGKILL leaves its Azurite child saving and exiting on its
 * own (see `local/storage/azuriteChild.ts`), and removing the folder while that child still writes fails with
 * ENOTEMPTY. So first wait for every Azurite that registered a pid file in the folder to exit.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { isProcessAlive } from '../../local/storage/isProcessAlive';

const PID_FILE = 'azurite.pid';

function azuritePids(dir: string): number[] {
    if (!existsSync(dir)) return [];
    return readdirSync(dir, { recursive: true, encoding: 'utf8' })
        .filter((entry) => entry === PID_FILE || entry.endsWith(`/${PID_FILE}`))
        .map((entry) => {
            try {
                return Number(readFileSync(join(dir, entry), 'utf8'));
            } catch {
                return NaN; // removed by its owner between the listing and the read
            }
        })
        .filter((pid) => Number.isInteger(pid) && pid > 0);
}

/**
 * Asynchronous on purpose: `rmSync`'s retries back off linearly and block the event loop (20 retries of 250 ms is a
 * silent 52 s), so a folder that keeps changing would stall the test file instead of failing within the hook timeout.
 */
export async function removeHostData(dir: string, timeoutMs = 20_000): Promise<void> {
    await waitForAzuriteExit(dir, timeoutMs);
    await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
}

/**
 * Waits until every Azurite that registered a pid file in `dir` has exited (and so written its databases), killing
 * those still there after `timeoutMs`.
 */
export async function waitForAzuriteExit(dir: string, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const alive = azuritePids(dir).filter(isProcessAlive);
        if (alive.length === 0) return;
        if (Date.now() > deadline) {
            for (const pid of alive) process.kill(pid, 'SIGKILL');
            await sleep(500);
            return;
        }
        await sleep(100);
    }
}
