import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { HttpRequest } from '@azure/functions';

import { InMemoryCheckpoints, InMemoryInvalidPayloads, RecordingPublisher } from '../fakes/fakes';
import { InMemoryLeadRepository } from '../fakes/InMemoryLeadRepository';

export const fixture = (name: string): string => readFileSync(join(__dirname, '..', 'fixtures', 'leads', name), 'utf8');

export function post(
    body: string,
    url = 'http://localhost/api/marketplace/leads',
    headers: Record<string, string> = {},
) {
    return new HttpRequest({ method: 'POST', url, body: { string: body }, headers });
}

export function get(url: string, params: Record<string, string> = {}) {
    return new HttpRequest({ method: 'GET', url, params });
}

export function intakeDeps(now = '2026-11-21T06:00:04.000Z') {
    return {
        leads: new InMemoryLeadRepository(),
        publisher: new RecordingPublisher(),
        invalidPayloads: new InMemoryInvalidPayloads(),
        checkpoints: new InMemoryCheckpoints(),
        now: () => new Date(now),
        maxBodyBytes: 4096,
    };
}

/** Personal data of the fixtures that must never appear in a log line. */
export const personalData = [/@/u, /fabrikam/iu, /Whitfield/u, /\+1 425/u];
