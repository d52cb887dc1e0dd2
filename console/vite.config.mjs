// The lead console's build: Preact + TypeScript through Vite's own transform (no plugin), into dist/console, served
// by the consoleSite function under /console/. No source maps in the package; no inline scripts (the CSP forbids).
import { fileURLToPath } from 'node:url';

import { defineConfig } from 'vite';

export default defineConfig({
    root: fileURLToPath(new URL('.', import.meta.url)),
    base: '/console/',
    publicDir: false,
    oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
    build: {
        outDir: fileURLToPath(new URL('../dist/console', import.meta.url)),
        emptyOutDir: true,
        sourcemap: false,
        target: 'es2022',
        modulePreload: { polyfill: false },
        assetsInlineLimit: 0,
    },
    logLevel: 'warn',
});
