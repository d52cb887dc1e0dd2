import { EVENT_NAMES, EventType, type HistoryEvent } from './protocol';
import { type InstanceRecord, isTerminal, type RuntimeStatus } from './records';

export interface StatusOptions {
    showHistory?: boolean;
    showHistoryOutput?: boolean;
    showInput?: boolean;
}

/** Status JSON as `DurableOrchestrationStatus` accepts it: input and output are null, never undefined. */
export function statusView(record: InstanceRecord, options: StatusOptions = {}): Record<string, unknown> {
    const status: Record<string, unknown> = {
        name: record.name,
        instanceId: record.instanceId,
        runtimeStatus: record.runtimeStatus,
        input: options.showInput === false ? null : (record.input ?? null),
        customStatus: record.customStatus ?? null,
        output: record.output ?? null,
        createdTime: record.createdTime,
        lastUpdatedTime: record.lastUpdatedTime,
    };
    if (options.showHistory) {
        const events = historyView(record, options.showHistoryOutput === true);
        status.historyEvents = events;
        status.history = events;
    }
    return status;
}

function historyView(record: InstanceRecord, withOutput: boolean): Array<Record<string, unknown>> {
    const shown = record.history.filter((event) => event.EventType !== EventType.OrchestratorStarted);
    const out = shown.map((event) => eventView(event, withOutput));
    if (isTerminal(record.runtimeStatus)) {
        const type = { Completed: 'ExecutionCompleted', Failed: 'ExecutionFailed' }[record.runtimeStatus as string];
        out.push({
            EventType: type ?? 'ExecutionTerminated',
            OrchestrationStatus: record.runtimeStatus,
            Timestamp: record.lastUpdatedTime,
            ...(withOutput ? { Result: record.output ?? null } : {}),
        });
    }
    return out;
}

function eventView(event: HistoryEvent, withOutput: boolean): Record<string, unknown> {
    const view: Record<string, unknown> = { EventType: EVENT_NAMES[event.EventType] ?? String(event.EventType) };
    for (const [field, value] of Object.entries(event)) {
        if (field === 'EventType' || field === 'IsPlayed' || value === undefined) continue;
        if (field === 'Result' || field === 'Input') {
            if (withOutput || field === 'Input') view[field] = parseJson(value);
            continue;
        }
        view[field] = value;
    }
    return view;
}

function parseJson(value: unknown): unknown {
    if (typeof value !== 'string') return value;
    try {
        return JSON.parse(value) as unknown;
    } catch {
        return value;
    }
}

export interface InstanceFilter {
    runtimeStatus?: RuntimeStatus[];
    createdTimeFrom?: Date;
    createdTimeTo?: Date;
    instanceIdPrefix?: string;
}

export function matchesFilter(record: InstanceRecord, filter: InstanceFilter): boolean {
    const created = Date.parse(record.createdTime);
    if (filter.runtimeStatus?.length && !filter.runtimeStatus.includes(record.runtimeStatus)) return false;
    if (filter.createdTimeFrom && created < filter.createdTimeFrom.getTime()) return false;
    if (filter.createdTimeTo && created > filter.createdTimeTo.getTime()) return false;
    if (filter.instanceIdPrefix && !record.instanceId.startsWith(filter.instanceIdPrefix)) return false;
    return true;
}

export function filterFromQuery(query: URLSearchParams): InstanceFilter {
    const date = (name: string): Date | undefined => {
        const value = query.get(name);
        return value ? new Date(value) : undefined;
    };
    const statuses = query.get('runtimeStatus');
    return {
        runtimeStatus: statuses ? (statuses.split(',').filter(Boolean) as RuntimeStatus[]) : undefined,
        createdTimeFrom: date('createdTimeFrom'),
        createdTimeTo: date('createdTimeTo'),
        instanceIdPrefix: query.get('instanceIdPrefix') ?? undefined,
    };
}
