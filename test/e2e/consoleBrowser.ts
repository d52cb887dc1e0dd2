/**
 * Debian's Chromium driven by playwright-core (no browser download): headless, no sandbox (CI runs as root), no
 * background networking, so the browser talks to nothing but the loopback host under test.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
/** Screenshots for a person to look at (git-ignored). */
export const SCREENSHOTS = join(__dirname, '..', '..', 'test-output', 'console');

export async function launchChromium(): Promise<Browser> {
    if (!existsSync(CHROMIUM)) {
        throw new Error(`${CHROMIUM} is missing: apt-get update && apt-get install -y chromium (.ci/run does this)`);
    }
    mkdirSync(SCREENSHOTS, { recursive: true });
    return chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: ['--no-sandbox', '--disable-background-networking', '--disable-dev-shm-usage'],
    });
}
