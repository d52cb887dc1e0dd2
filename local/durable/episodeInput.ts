import { randomUUID } from 'node:crypto';

import { EventType, type HistoryEvent, toJsonText, UPPER_SCHEMA_VERSION } from './protocol';
import type { InstanceRecord } from './records';

export function historyEvent(type: number, fields: Record<string, unknown> = {}, now = new Date()): HistoryEvent {
    return { EventType: type, EventId: -1, Timestamp: now.toISOString(), IsPlayed: false, ...fields };
}

export function newInstanceRecord(
    name: string,
    instanceId: string,
    input: unknown,
    now: Date,
    parent?: { instanceId: string; taskId: number },
    version?: string,
): InstanceRecord {
    const time = now.toISOString();
    return {
        instanceId,
        executionId: randomUUID(),
        name,
        version,
        runtimeStatus: 'Pending',
        input: input ?? null,
        output: null,
        customStatus: null,
        createdTime: time,
        lastUpdatedTime: time,
        parent,
        history: [],
        pending: [
            historyEvent(
                EventType.ExecutionStarted,
                { Name: name, Input: toJsonText(input), Version: version, ParentInstanceId: parent?.instanceId },
                now,
            ),
        ],
        actionIds: [],
        nextEventId: 0,
        work: [],
        retryByTask: {},
        retryByTimer: {},
        outbox: [],
    };
}

/** A retry-related event makes the SDK allocate a sequence id while it processes that very event (§2.4). */
export function isRetryEvent(record: InstanceRecord, event: HistoryEvent): boolean {
    if (event.EventType === EventType.TaskFailed || event.EventType === EventType.SubOrchestrationInstanceFailed) {
        return record.retryByTask[String(event.TaskScheduledId)] !== undefined;
    }
    return event.EventType === EventType.TimerFired && record.retryByTimer[String(event.TimerId)] !== undefined;
}

/**
 * The events of the next episode. A retry event is replayed alone: the id the SDK allocates for it must come after
 * the ids of actions that earlier events let user code yield, and before any new action's id.
 */
export function episodeEvents(record: InstanceRecord): HistoryEvent[] {
    const cut = record.pending.findIndex((event) => isRetryEvent(record, event));
    if (cut === 0) return record.pending.slice(0, 1);
    return record.pending.slice(0, cut < 0 ? record.pending.length : cut);
}

export interface OrchestrationBinding {
    history: HistoryEvent[];
    input: unknown;
    instanceId: string;
    parentInstanceId?: string;
    isReplaying: boolean;
    upperSchemaVersion: number;
    maximumShortTimerDuration: string;
    longRunningTimerIntervalDuration: string;
    defaultHttpAsyncRequestSleepTimeMillseconds: number;
}

/** The trigger value the SDK's `Orchestrator.handle` reads; a deep copy, because the SDK turns timestamps into Dates. */
export function orchestrationBinding(record: InstanceRecord, history: HistoryEvent[]): OrchestrationBinding {
    return structuredClone({
        history,
        input: record.input,
        instanceId: record.instanceId,
        parentInstanceId: record.parent?.instanceId,
        isReplaying: record.history.length > 0,
        upperSchemaVersion: UPPER_SCHEMA_VERSION,
        maximumShortTimerDuration: '6.00:00:00',
        longRunningTimerIntervalDuration: '3.00:00:00',
        defaultHttpAsyncRequestSleepTimeMillseconds: 30000,
    });
}

/** Everything seen so far marked played, a new OrchestratorStarted, then this episode's events. */
export function episodeHistory(record: InstanceRecord, events: HistoryEvent[], now: Date): HistoryEvent[] {
    return [
        ...record.history.map((event) => ({ ...event, IsPlayed: true })),
        historyEvent(EventType.OrchestratorStarted, {}, now),
        ...events,
    ];
}
