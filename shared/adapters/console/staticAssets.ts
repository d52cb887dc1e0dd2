import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';

/** A built file of the console, read once. */
export interface StaticAsset {
    body: Buffer;
    contentType: string;
    /** Vite names assets by content hash (`assets/index-3f2a….js`): such a file never changes. */
    immutable: boolean;
}

const contentTypes: Record<string, string> = {
    '.html': 'text/html; charset=utf-8',
    '.js': 'text/javascript; charset=utf-8',
    '.css': 'text/css; charset=utf-8',
    '.svg': 'image/svg+xml',
    '.png': 'image/png',
    '.ico': 'image/x-icon',
    '.json': 'application/json; charset=utf-8',
    '.woff2': 'font/woff2',
    '.txt': 'text/plain; charset=utf-8',
};

/** Built console files larger than this are not served (none is; a stray large file is a build mistake). */
const MAX_FILE_BYTES = 5 * 1024 * 1024;

/**
 * The console's built files under `root` (`npm run build` writes them to `dist/console`), read into memory on first
 * use. Only files that exist there, with a known type, are served: a request path is looked up in that list, never
 * joined onto the file system, so no path can reach outside it.
 */
export function createStaticAssets(root: string) {
    let files: Map<string, StaticAsset> | undefined;
    const load = (): Map<string, StaticAsset> => {
        const found = new Map<string, StaticAsset>();
        if (!existsSync(root)) return found;
        const walk = (dir: string): void => {
            for (const name of readdirSync(dir)) {
                const path = join(dir, name);
                const stat = statSync(path);
                if (stat.isDirectory()) walk(path);
                else if (stat.size <= MAX_FILE_BYTES && contentTypes[extname(name)] !== undefined) {
                    const key = relative(root, path).split(sep).join('/');
                    found.set(key, {
                        body: readFileSync(path),
                        contentType: contentTypes[extname(name)]!,
                        immutable: key.startsWith('assets/'),
                    });
                }
            }
        };
        walk(root);
        return found;
    };
    return {
        /** The file at `path` (relative, `/`-separated), or undefined. */
        get(path: string): StaticAsset | undefined {
            files ??= load();
            return files.get(path);
        },
        /** Whether the console was built at all. */
        built(): boolean {
            files ??= load();
            return files.has('index.html');
        },
    };
}
