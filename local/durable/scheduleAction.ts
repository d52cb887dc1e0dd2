import { randomUUID } from 'node:crypto';

import type { Effect } from './Effect';
import { historyEvent } from './episodeInput';
import { ActionType, decodeProcessedInput, EventType, failedEventFields, type WireAction } from './protocol';
import type { EntityRequest, InstanceRecord, RetryState } from './records';

/**
 * Gives a new action the sequence id the SDK gave it (in yield order; external-event waits and continueAsNew take
 * none) and records the work it creates. Returns the id, or -1.
 */
export function scheduleAction(record: InstanceRecord, action: WireAction, now: Date, effects: Effect[]): number {
    const name = action.functionName ?? '';
    switch (action.actionType) {
        case ActionType.CallActivity: {
            const id = record.nextEventId++;
            scheduleActivity(record, id, name, decodeProcessedInput(action.input), now, effects);
            return id;
        }
        case ActionType.CallActivityWithRetry:
        case ActionType.CallSubOrchestratorWithRetry: {
            const activity = action.actionType === ActionType.CallActivityWithRetry;
            const retry: RetryState = {
                target: activity ? 'activity' : 'subOrchestration',
                name,
                input: activity ? decodeProcessedInput(action.input) : action.input,
                childId: action.instanceId || undefined,
                version: versionOf(action),
                options: action.retryOptions ?? { firstRetryIntervalInMilliseconds: 1000, maxNumberOfAttempts: 1 },
                attempt: 1,
                firstAttemptAt: now.toISOString(),
            };
            return startAttempt(record, retry, 1, now, effects);
        }
        case ActionType.CallSubOrchestrator: {
            const id = record.nextEventId++;
            const childId = action.instanceId || `${record.instanceId}:${id}`;
            scheduleChild(record, id, { name, childId, input: action.input, version: versionOf(action) }, now, effects);
            return id;
        }
        case ActionType.CreateTimer: {
            const id = record.nextEventId++;
            // String(Date) would drop the milliseconds and fire the timer up to a second early.
            const fireAt = new Date(action.fireAt ?? Number.NaN).toISOString();
            record.history.push(historyEvent(EventType.TimerCreated, { EventId: id, FireAt: fireAt }, now));
            if (!action.isCanceled) {
                record.work.push({ kind: 'timer', id, fireAt });
                effects.push({ kind: 'armTimer', id, fireAt });
            }
            return id;
        }
        case ActionType.CallEntity:
        case ActionType.SignalEntity:
            return sendToEntity(record, action, now);
        case ActionType.CallHttp: {
            const id = record.nextEventId++;
            const failure = {
                ErrorType: 'NotSupportedError',
                ErrorMessage: 'callHttp is not supported by the local host',
            };
            record.pending.push(
                historyEvent(EventType.TaskFailed, { TaskScheduledId: id, ...failedEventFields(failure) }, now),
            );
            return id;
        }
        default:
            return -1;
    }
}

/** `marks`: host-only fields on the history event (the SDK ignores TaskScheduled), e.g. the retry attempt. */
function scheduleActivity(
    record: InstanceRecord,
    id: number,
    name: string,
    input: unknown,
    now: Date,
    effects: Effect[],
    marks: Record<string, unknown> = {},
): void {
    const scheduled = { EventId: id, Name: name, Input: JSON.stringify(input ?? null), ...marks };
    record.history.push(historyEvent(EventType.TaskScheduled, scheduled, now));
    record.work.push({ kind: 'activity', id, name, input });
    effects.push({ kind: 'runActivity', id, name, input });
}

interface ChildCall {
    name: string;
    childId: string;
    input: unknown;
    version?: string;
}

function scheduleChild(
    record: InstanceRecord,
    id: number,
    call: ChildCall,
    now: Date,
    effects: Effect[],
    marks: Record<string, unknown> = {},
): void {
    const input = JSON.stringify(call.input ?? null);
    const created = {
        EventId: id,
        Name: call.name,
        InstanceId: call.childId,
        Version: call.version,
        Input: input,
        ...marks,
    };
    record.history.push(historyEvent(EventType.SubOrchestrationInstanceCreated, created, now));
    record.work.push({ kind: 'subOrchestration', id, ...call });
    effects.push({ kind: 'startChild', id, ...call });
}

function versionOf(action: WireAction): string | undefined {
    return typeof action.version === 'string' && action.version ? action.version : undefined;
}

function sendToEntity(record: InstanceRecord, action: WireAction, now: Date): number {
    const id = record.nextEventId++;
    const signal = action.actionType === ActionType.SignalEntity;
    const request: EntityRequest = {
        id: randomUUID(),
        entity: String(action.instanceId),
        op: String(action.operation),
        input: action.input === undefined ? undefined : JSON.stringify(action.input),
        signal,
        parent: signal ? undefined : record.instanceId,
    };
    record.history.push(
        historyEvent(
            EventType.EventSent,
            { EventId: id, InstanceId: request.entity, Name: 'op', Input: JSON.stringify(request) },
            now,
        ),
    );
    if (!signal) record.work.push({ kind: 'entityCall', id, requestId: request.id, entity: request.entity });
    record.outbox.push(request);
    return id;
}

/** Starts attempt `attempt` of a retried call; after the retry timeout the SDK still expects it, failed at once. */
export function startAttempt(
    record: InstanceRecord,
    retry: RetryState,
    attempt: number,
    now: Date,
    effects: Effect[],
): number {
    retry.attempt = attempt;
    const id = record.nextEventId++;
    record.retryByTask[String(id)] = retry;
    if (retry.gaveUp && retry.lastFailure) {
        const type = retry.target === 'activity' ? EventType.TaskFailed : EventType.SubOrchestrationInstanceFailed;
        record.pending.push(historyEvent(type, { TaskScheduledId: id, ...failedEventFields(retry.lastFailure) }, now));
        return id;
    }
    if (retry.target === 'activity') {
        scheduleActivity(record, id, retry.name, retry.input, now, effects, { RetryAttempt: attempt });
    } else {
        const childId = retry.childId ?? `${record.instanceId}:${id}`;
        scheduleChild(
            record,
            id,
            { name: retry.name, childId, input: retry.input, version: retry.version },
            now,
            effects,
            { RetryAttempt: attempt },
        );
    }
    return id;
}
