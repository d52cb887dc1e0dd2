import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { globSync } from 'tinyglobby';

export interface LoadedApp {
    /** Absolute paths of the entry files, in the order they were required. */
    entryFiles: string[];
}

function readJson(file: string): Record<string, unknown> {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

/** The files `package.json` `main` names; like the worker, `main` may be a glob such as `dist/{index.js,functions/*.js}`. */
export function findEntryFiles(appDir: string): string[] {
    const pkgFile = join(appDir, 'package.json');
    if (!existsSync(pkgFile)) throw new Error(`No package.json in ${appDir}: not a function app folder`);
    const main = readJson(pkgFile).main;
    if (typeof main !== 'string' || main.trim() === '') {
        throw new Error(`${pkgFile} has no "main": the host cannot find the app's entry files`);
    }
    const files = globSync(main, { cwd: appDir, absolute: true, onlyFiles: true }).sort();
    if (files.length === 0) throw new Error(`"main" of ${pkgFile} (${main}) matches no file; is the app built?`);
    return files.map((f) => (isAbsolute(f) ? f : join(appDir, f)));
}

/** The app's `host.json`, parsed (`{}` when it has none). */
export function readHostJson(appDir: string): Record<string, unknown> {
    const hostFile = join(appDir, 'host.json');
    return existsSync(hostFile) ? readJson(hostFile) : {};
}

/** Loads every entry file, which registers the app's functions as a side effect. */
export async function loadApp(appDir: string): Promise<LoadedApp> {
    const entryFiles = findEntryFiles(appDir);
    const appRequire = createRequire(join(appDir, 'package.json'));
    for (const file of entryFiles) {
        try {
            appRequire(file);
        } catch (err) {
            // ES module entry files (`.mjs`, `"type": "module"`) are imported, as the worker does.
            if ((err as { code?: string }).code !== 'ERR_REQUIRE_ESM') throw err;
            await import(pathToFileURL(file).href);
        }
    }
    return { entryFiles };
}
