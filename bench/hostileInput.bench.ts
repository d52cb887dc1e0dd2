/**
 * Hostile input (issue 18): the worst time and the peak memory of parse → decide for bodies built to hurt the parser,
 * each as large as the webhook accepts (256 KiB), beside a normal lead's from the same run. Each shape runs in its own
 * child process, so its peak (the growth of the process's resident-set high-water mark over a warmed-up baseline)
 * is its own; a quadratic path shows as seconds and gigabytes here (a 60,000-label email domain once took 4 GB).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { decide, parseMarketplaceCallback, parseMarketplaceTableRow, parsePipelineConfig } from '../shared/domain';

const root = join(__dirname, '..', '..');
const config = parsePipelineConfig(JSON.parse(readFileSync(join(root, 'config', 'pipeline.json'), 'utf8')));
const receivedAt = '2026-11-21T06:00:00.000Z';
/** The webhook's default body limit (`WEBHOOK_MAX_BODY_BYTES`). */
const BODY = 262_144;
const RUNS = 15;

const fill = (unit: string, chars: number): string => unit.repeat(Math.max(1, Math.floor(chars / unit.length)));
const room = (template: string): number => BODY - Buffer.byteLength(template) - 64;

function callback(contact: Record<string, unknown>, top: Record<string, unknown> = {}): string {
    return JSON.stringify({
        UserDetails: {
            FirstName: 'Jan',
            LastName: 'Novák',
            Email: 'jan.novak@contoso.cz',
            Company: 'Contoso s.r.o.',
            ...contact,
        },
        LeadSource: 'SPZA-PLT|contoso.analytics',
        ActionCode: 'PLT',
        OfferTitle: 'Contoso Analytics',
        ...top,
    });
}

/** Fills one field so the whole body is just under the limit, in bytes of UTF-8. */
function sized(build: (value: string) => string, unit: string): string {
    const bytesPerChar = Buffer.byteLength(unit) / unit.length;
    return build(fill(unit, room(build('')) / bytesPerChar));
}

function casings(key: string, blank: boolean): string {
    const parts: string[] = [];
    let length = 2;
    for (let i = 0; length < BODY - 64; i++) {
        let k = '';
        for (let j = 0; j < key.length; j++) k += (i >> j) % 2 === 1 ? key[j]!.toUpperCase() : key[j]!;
        const part = `${JSON.stringify(k + (i >= 2 ** key.length ? String(i) : ''))}:${JSON.stringify(blank && i % 2 === 0 ? '   ' : 'v')}`;
        parts.push(part);
        length += part.length + 1;
    }
    return `{${parts.join(',')}}`;
}

const shapes: Record<string, () => string | Record<string, unknown>> = {
    'normal lead': () =>
        callback({ Title: 'Ředitel IT', Phone: '602 123 456', Country: 'Česko' }, { Description: 'Ozvěte se' }),
    'email: 60,000-label domain': () => sized((v) => callback({ Email: `x@${v}com` }), 'a.'),
    'email: domain of dots': () => sized((v) => callback({ Email: `x@a${v}b` }), '.'),
    'email: trailing dots': () => sized((v) => callback({ Email: `x@contoso.cz${v}` }), '.'),
    'email: all @': () => sized((v) => callback({ Email: v }), '@'),
    'LeadSource: spaces before the offer': () => sized((v) => callback({}, { LeadSource: `SPZA-PLT|x${v}x` }), ' '),
    'LeadSource: pipes and dots': () => sized((v) => callback({}, { LeadSource: `SPZA|${v}!` }), '|a.'),
    'Description: query string, 30,000 parameters': () =>
        sized((v) => callback({}, { Description: `${v}x=1` }), 'k=v&'),
    'Description: query string broken at the end': () => sized((v) => callback({}, { Description: `${v} x` }), 'k=v&'),
    'Description: campaign JSON, 20,000 keys': () => {
        const n = Math.floor(room(callback({}, { Description: '' })) / 14);
        const params = JSON.stringify(Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v'])));
        return callback({}, { Description: params });
    },
    'Description: unclosed JSON': () => sized((v) => callback({}, { Description: `{${v}` }), '"a":1,'),
    'Description: Campaigns list': () => sized((v) => callback({}, { Description: `Campaigns: ${v}` }), 'c1, '),
    'Description: NFKC expansion (ﷺ)': () => sized((v) => callback({}, { Description: v }), 'ﷺ'),
    'Title: words of the lexicon': () => sized((v) => callback({ Title: v }), 'generální ředitel '),
    'Title: one long word': () => sized((v) => callback({ Title: v }), 'ř'),
    'Title: Hangul run': () => sized((v) => callback({ Title: v }), '대표이'),
    'Company: legal forms repeated': () => sized((v) => callback({ Company: v }), 's.r.o. '),
    'Phone: digits': () => sized((v) => callback({ Phone: v, Country: 'CZ' }), '1'),
    'Country: spaces': () => sized((v) => callback({ Country: `${v}CZ` }), ' '),
    'Names: combining marks': () => sized((v) => callback({ FirstName: `e${v}` }), '\u0301'),
    'Test marker everywhere': () => sized((v) => callback({ FirstName: v }), 'MSFT_TEST_'),
    'Keys: one key in 40,000 casings': () => casings('userdetails', false),
    'Keys: blank and filled casings': () => casings('emailaddress', true),
    'Keys: 25,000 unknown keys': () => {
        const n = Math.floor((BODY - 64) / 10);
        return JSON.stringify(Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 1])));
    },
    'JSON: nested 100,000 deep': () => `{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
    'Table row: hostile CustomerInfo': () => {
        const info = JSON.stringify({ Email: `x@${fill('a.', BODY / 2 - 200)}com`, Title: fill('ředitel ', BODY / 4) });
        return { PartitionKey: 'p', RowKey: 'r', CustomerInfo: info, LeadSource: 'SPZA-PLT|a.b' };
    },
};

function runOnce(input: string | Record<string, unknown>): void {
    const lead =
        typeof input === 'string'
            ? parseMarketplaceCallback(input, { receivedAt })
            : parseMarketplaceTableRow(input, { receivedAt });
    decide(lead, config, receivedAt);
}

interface ShapeResult {
    shape: string;
    bytes: number;
    medianMs: number;
    worstMs: number;
    peakMb: number;
}

function child(shape: string): void {
    const warm = shapes['normal lead']!();
    for (let i = 0; i < 2000; i++) runOnce(warm);
    const input = shapes[shape]!();
    global.gc?.();
    const baseline = process.resourceUsage().maxRSS;
    const times: number[] = [];
    for (let i = 0; i < (shape === 'normal lead' ? 2000 : RUNS); i++) {
        const started = process.hrtime.bigint();
        runOnce(input);
        times.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    times.sort((a, b) => a - b);
    const result: ShapeResult = {
        shape,
        bytes: typeof input === 'string' ? Buffer.byteLength(input) : Buffer.byteLength(JSON.stringify(input)),
        medianMs: times[Math.floor(times.length / 2)] ?? 0,
        worstMs: times.at(-1) ?? 0,
        peakMb: (process.resourceUsage().maxRSS - baseline) / 1024,
    };
    process.stdout.write(JSON.stringify(result));
}

function main(): void {
    const results: ShapeResult[] = [];
    for (const shape of Object.keys(shapes)) {
        const out = spawnSync(process.execPath, ['--expose-gc', __filename, shape], {
            encoding: 'utf8',
            timeout: 120_000,
            maxBuffer: 1 << 20,
        });
        if (out.status !== 0) {
            console.log(`  ${shape}: child failed (${out.status ?? out.signal}) ${out.stderr.slice(0, 300)}`);
            process.exitCode = 1;
            continue;
        }
        results.push(JSON.parse(out.stdout) as ShapeResult);
    }
    const normal = results.find((r) => r.shape === 'normal lead');
    console.log(`hostile input: parse → decide of ${Object.keys(shapes).length - 1} shapes at the 256 KiB body limit`);
    console.log(
        `  (${RUNS} runs each, one child process per shape; peak = resident-set growth over a warmed baseline)`,
    );
    console.log(
        `  ${'shape'.padEnd(46)} ${'body'.padStart(8)} ${'median'.padStart(10)} ${'worst'.padStart(10)} ${'peak'.padStart(8)}`,
    );
    for (const r of results) {
        const x = normal === undefined || normal.worstMs === 0 ? '' : `  ×${(r.worstMs / normal.medianMs).toFixed(0)}`;
        console.log(
            `  ${r.shape.padEnd(46)} ${`${(r.bytes / 1024).toFixed(1)}K`.padStart(8)} ${`${r.medianMs.toFixed(3)}ms`.padStart(10)} ${`${r.worstMs.toFixed(3)}ms`.padStart(10)} ${`${r.peakMb.toFixed(1)}MB`.padStart(8)}${r.shape === 'normal lead' ? '  (baseline)' : x}`,
        );
    }
    const worst = results.filter((r) => r.shape !== 'normal lead').sort((a, b) => b.worstMs - a.worstMs)[0];
    const peak = results.filter((r) => r.shape !== 'normal lead').sort((a, b) => b.peakMb - a.peakMb)[0];
    if (worst !== undefined && peak !== undefined && normal !== undefined) {
        console.log(
            `  worst time ${worst.worstMs.toFixed(1)} ms (${worst.shape}); largest peak ${peak.peakMb.toFixed(1)} MB (${peak.shape}); normal lead ${(normal.medianMs * 1000).toFixed(1)} µs`,
        );
    }
}

const shapeArg = process.argv[2];
if (shapeArg !== undefined && shapes[shapeArg] !== undefined) child(shapeArg);
else main();
