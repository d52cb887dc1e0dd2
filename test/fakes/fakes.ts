/* eslint-disable @typescript-eslint/require-await -- fakes implement promise-returning ports synchronously */
import { InvocationContext } from '@azure/functions';

import type { CheckpointStore } from '../../shared/ports/CheckpointStore';
import type { InvalidPayloadStore } from '../../shared/ports/InvalidPayloadStore';
import type { LeadPublisher, PublishOptions } from '../../shared/ports/LeadPublisher';
import type { MarketplaceRow, MarketplaceRowSource } from '../../shared/ports/MarketplaceRowSource';
import type { OrchestrationStarter } from '../../shared/ports/OrchestrationStarter';
import type { ParkedLead, ParkedLeadStore } from '../../shared/ports/ParkedLeadStore';

export class RecordingPublisher implements LeadPublisher {
    readonly sent: { body: unknown; options: PublishOptions }[] = [];
    failWith: Error | undefined;
    publish = async (body: unknown, options: PublishOptions) => {
        if (this.failWith) throw this.failWith;
        this.sent.push({ body, options });
    };
}

export class InMemoryInvalidPayloads implements InvalidPayloadStore {
    readonly saved = new Map<string, { raw: Uint8Array; reason: string; at: string }>();
    save = async (raw: Uint8Array, reason: string, now: Date = new Date(0)) => {
        const id = `p${this.saved.size + 1}`;
        this.saved.set(id, { raw, reason, at: now.toISOString() });
        return id;
    };
    recent = async (limit: number) =>
        [...this.saved.entries()]
            .map(([id, p]) => ({
                id,
                reason: p.reason,
                bytes: p.raw.byteLength,
                receivedAt: p.at,
                preview: new TextDecoder().decode(p.raw).slice(0, 300),
            }))
            .sort((a, b) => b.receivedAt.localeCompare(a.receivedAt))
            .slice(0, limit);
}

export class InMemoryCheckpoints implements CheckpointStore {
    readonly values = new Map<string, string>();
    get = async (name: string) => this.values.get(name);
    set = async (name: string, value: string) => {
        this.values.set(name, value);
    };
}

export class InMemoryRows implements MarketplaceRowSource {
    rows: MarketplaceRow[] = [];
    readonly queries: (Date | undefined)[] = [];
    async *pages(since: Date | undefined, pageSize: number): AsyncIterable<MarketplaceRow[]> {
        this.queries.push(since);
        const selected = this.rows.filter((r) => since === undefined || Date.parse(r.timestamp) >= since.getTime());
        for (let i = 0; i < selected.length; i += pageSize) yield selected.slice(i, i + pageSize);
    }
}

export class InMemoryParked implements ParkedLeadStore {
    readonly items = new Map<string, ParkedLead>();
    park = async (lead: ParkedLead) => {
        if (!this.items.has(lead.id)) this.items.set(lead.id, lead);
    };
    get = async (id: string) => this.items.get(id);
    list = async (limit: number) => ({ items: [...this.items.values()].slice(0, limit) });
    markReplayed = async (id: string, at: Date) => {
        const p = this.items.get(id)!;
        const updated = { ...p, replayedAt: at.toISOString(), replayCount: p.replayCount + 1 };
        this.items.set(id, updated);
        return updated;
    };
}

export class FakeStarter implements OrchestrationStarter {
    readonly instances = new Map<string, { name: string; input: unknown }>();
    startIfAbsent = async (name: string, instanceId: string, input: unknown) => {
        if (this.instances.has(instanceId)) return 'exists' as const;
        this.instances.set(instanceId, { name, input });
        return 'started' as const;
    };
    start = async (name: string, instanceId: string, input: unknown) => {
        this.instances.set(instanceId, { name, input });
    };
}

/**
 * An InvocationContext whose log lines are kept, to assert that no personal data is logged. A line's fields (a
 * separate argument) are written out as JSON, so every value they carry is in the line.
 */
export function testContext(functionName: string, triggerMetadata: Record<string, unknown> = {}) {
    const lines: string[] = [];
    const text = (arg: unknown) => (typeof arg === 'string' ? arg : JSON.stringify(arg));
    const context = new InvocationContext({
        functionName,
        invocationId: 'test-invocation',
        triggerMetadata,
        logHandler: (_level, ...args) => lines.push(args.map(text).join(' ')),
    });
    return { context, lines };
}

export const fixedClock = (iso: string) => () => new Date(iso);
