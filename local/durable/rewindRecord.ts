import type { Effect } from './Effect';
import { EventType, type HistoryEvent } from './protocol';
import type { InstanceRecord } from './records';

const FAILURES = new Set<number>([EventType.TaskFailed, EventType.SubOrchestrationInstanceFailed]);

/**
 * Rewind of a Failed instance: its failed activity and sub-orchestration calls are taken out of the history and
 * run again, so the next replay continues as if they were still outstanding. Returns the work to start, or why
 * the instance cannot be rewound. Calls made with retry are not rewound (their retry timers share the id sequence).
 */
export function rewindRecord(record: InstanceRecord, now: Date): Effect[] | string {
    if (record.runtimeStatus !== 'Failed') return 'only a Failed instance can be rewound';
    const scheduled = new Map<number, HistoryEvent>();
    for (const event of record.history) {
        const type = event.EventType;
        if (type === EventType.TaskScheduled || type === EventType.SubOrchestrationInstanceCreated) {
            scheduled.set(event.EventId, event);
        }
    }
    const failures = record.history.filter((event) => FAILURES.has(event.EventType));
    const callOf = (failure: HistoryEvent): HistoryEvent | undefined => scheduled.get(Number(failure.TaskScheduledId));
    if (failures.some((failure) => callOf(failure)?.RetryAttempt !== undefined)) {
        return 'calls made with retry cannot be rewound';
    }
    const rewound = failures.filter((failure) => callOf(failure) !== undefined);
    if (rewound.length === 0) return 'no failed activity or sub-orchestration to rewind';

    const effects: Effect[] = [];
    for (const failure of rewound) {
        const call = callOf(failure) as HistoryEvent;
        const name = String(call.Name);
        const input = typeof call.Input === 'string' ? (JSON.parse(call.Input) as unknown) : null;
        if (call.EventType === EventType.TaskScheduled) {
            record.work.push({ kind: 'activity', id: call.EventId, name, input });
            effects.push({ kind: 'runActivity', id: call.EventId, name, input });
        } else {
            const version = typeof call.Version === 'string' ? call.Version : undefined;
            const child = { id: call.EventId, name, childId: String(call.InstanceId), input, version };
            record.work.push({ kind: 'subOrchestration', ...child });
            effects.push({ kind: 'startChild', ...child });
        }
    }
    record.history = record.history.filter((event) => !rewound.includes(event));
    record.runtimeStatus = 'Running';
    record.output = null;
    record.failureDetails = undefined;
    record.parentNotified = false;
    record.lastUpdatedTime = now.toISOString();
    return effects;
}
