import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parsePipelineConfig, type PipelineConfig } from '../../../../shared/domain';

export const repoRoot = join(__dirname, '..', '..', '..', '..');
const fixtures = join(repoRoot, 'test', 'fixtures', 'leads');

export const receivedAt = '2026-11-21T06:00:07.000Z';

/** Raw bytes of a sample payload (`marketplace/…` for the shared fixtures). */
export function sampleBytes(name: string): Buffer {
    return readFileSync(join(fixtures, name));
}

export function sampleJson(name: string): Record<string, unknown> {
    return JSON.parse(sampleBytes(name).toString('utf8')) as Record<string, unknown>;
}

export function defaultConfigJson(): Record<string, unknown> {
    return JSON.parse(readFileSync(join(repoRoot, 'config', 'pipeline.json'), 'utf8')) as Record<string, unknown>;
}

export function defaultConfig(): PipelineConfig {
    return parsePipelineConfig(defaultConfigJson());
}

/** A callback body in the documented PascalCase shape, with overrides. */
export function callback(details: Record<string, unknown> = {}, top: Record<string, unknown> = {}): string {
    return JSON.stringify({
        UserDetails: {
            FirstName: 'Ana',
            LastName: 'Silva',
            Email: 'ana.silva@contoso.com',
            Phone: '+1 425 555 0100',
            Country: 'United States',
            Company: 'Contoso',
            Title: 'Engineer',
            ...details,
        },
        LeadSource: 'SPZA-PLT|contoso.contoso-analytics',
        ActionCode: 'PLT',
        OfferTitle: 'Contoso Analytics',
        Description: 'Please call me',
        ...top,
    });
}

/** Tests edit arbitrary deep paths of the config document to break it on purpose; a precise type would fight that. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type EditableJson = any;
