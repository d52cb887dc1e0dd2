import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import type { HostContext } from '../contracts';

export const SYSTEM_KEY_SETTING = 'LOCAL_DURABLE_SYSTEM_KEY';

/**
 * The durable extension's system key (Azure names it `durabletask_extension`): the `LOCAL_DURABLE_SYSTEM_KEY`
 * setting, else one made once and kept under the data folder with disk storage, so status URLs handed out before a
 * restart keep working (Azure keeps its keys in storage too); with memory storage a new one per start.
 */
export function durableSystemKey(host: HostContext): string {
    const configured = host.setting(SYSTEM_KEY_SETTING);
    if (configured) return configured;
    if (host.storageMode !== 'disk') return randomBytes(24).toString('base64url');
    const file = join(host.dataDir, 'durable-system-key');
    if (existsSync(file)) {
        const kept = readFileSync(file, 'utf8').trim();
        if (kept) return kept;
    }
    const key = randomBytes(24).toString('base64url');
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${key}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
    return key;
}
