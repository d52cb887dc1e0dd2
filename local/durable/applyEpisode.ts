import { randomUUID } from 'node:crypto';

import { historyEvent } from './episodeInput';
import {
    ActionType,
    decodeProcessedInput,
    EventType,
    flattenActions,
    type HistoryEvent,
    type OrchestratorState,
    type WireAction,
} from './protocol';
import type { EntityRequest, InstanceRecord, RetryState } from './records';
import { retryDelay } from './retryDelay';

/** What the engine must do once the record, as changed by `applyEpisode`, is stored. */
export type Effect =
    | { kind: 'runActivity'; id: number; name: string; input: unknown }
    | { kind: 'armTimer'; id: number; fireAt: string }
    | { kind: 'cancelTimer'; id: number }
    | { kind: 'startChild'; id: number; name: string; childId: string; input: unknown };

export interface EpisodeOutcome {
    state: OrchestratorState;
    failed: boolean;
}

/** Folds one orchestrator episode into the record: history, retry bookkeeping, new actions, status. */
export function applyEpisode(
    record: InstanceRecord,
    events: HistoryEvent[],
    history: HistoryEvent[],
    outcome: EpisodeOutcome,
    now: Date,
): Effect[] {
    const effects: Effect[] = [];
    record.pending.splice(0, events.length);
    record.history = history;
    if (events.length === 1 && events[0] !== undefined) applyRetryBookkeeping(record, events[0], now, effects);

    const leaves = flattenActions(outcome.state.actions);
    for (let i = 0; i < Math.min(record.actionIds.length, leaves.length); i++) {
        const leaf = leaves[i];
        if (leaf?.actionType === ActionType.CreateTimer && leaf.isCanceled)
            cancelTimer(record, record.actionIds[i], effects);
    }
    let continueAsNew: WireAction | undefined;
    for (const action of leaves.slice(record.actionIds.length)) {
        if (action.actionType === ActionType.ContinueAsNew) continueAsNew = action;
        record.actionIds.push(scheduleAction(record, action, now, effects));
    }

    record.customStatus = plain(outcome.state.customStatus);
    record.lastUpdatedTime = now.toISOString();
    if (outcome.failed) {
        finish(record, 'Failed', outcome.state.error ?? 'orchestrator failed', effects);
        record.failureDetails = outcome.state.failureDetails ?? {
            ErrorType: 'OrchestratorError',
            ErrorMessage: String(outcome.state.error),
        };
    } else if (continueAsNew) {
        restartExecution(record, decodeProcessedInput(continueAsNew.input), now, effects);
    } else if (outcome.state.isDone) {
        finish(record, 'Completed', plain(outcome.state.output), effects);
    } else if (record.runtimeStatus === 'Pending') {
        record.runtimeStatus = 'Running';
    }
    return effects;
}

function applyRetryBookkeeping(record: InstanceRecord, event: HistoryEvent, now: Date, effects: Effect[]): void {
    const failed =
        event.EventType === EventType.TaskFailed || event.EventType === EventType.SubOrchestrationInstanceFailed;
    if (failed) {
        const key = String(event.TaskScheduledId);
        const retry = record.retryByTask[key];
        if (!retry) return;
        delete record.retryByTask[key];
        retry.lastFailure = event.FailureDetails as RetryState['lastFailure'];
        const delay = retry.gaveUp
            ? undefined
            : retryDelay(retry.options, retry.attempt, new Date(retry.firstAttemptAt), now);
        if (delay === undefined && retry.attempt < retry.options.maxNumberOfAttempts) retry.gaveUp = true;
        const id = record.nextEventId++;
        const fireAt = new Date(now.getTime() + (delay ?? 0)).toISOString();
        record.history.push(historyEvent(EventType.TimerCreated, { EventId: id, FireAt: fireAt }, now));
        record.retryByTimer[String(id)] = retry;
        record.work.push({ kind: 'timer', id, fireAt });
        effects.push({ kind: 'armTimer', id, fireAt });
    } else if (event.EventType === EventType.TimerFired) {
        const key = String(event.TimerId);
        const retry = record.retryByTimer[key];
        if (!retry) return;
        delete record.retryByTimer[key];
        if (retry.attempt < retry.options.maxNumberOfAttempts)
            startAttempt(record, retry, retry.attempt + 1, now, effects);
    }
}

function startAttempt(
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
        record.pending.push(historyEvent(type, { TaskScheduledId: id, FailureDetails: retry.lastFailure }, now));
        return id;
    }
    if (retry.target === 'activity') {
        scheduleActivity(record, id, retry.name, retry.input, now, effects);
    } else {
        scheduleChild(record, id, retry.name, retry.childId ?? `${record.instanceId}:${id}`, retry.input, now, effects);
    }
    return id;
}

function scheduleAction(record: InstanceRecord, action: WireAction, now: Date, effects: Effect[]): number {
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
                options: action.retryOptions ?? { firstRetryIntervalInMilliseconds: 1000, maxNumberOfAttempts: 1 },
                attempt: 1,
                firstAttemptAt: now.toISOString(),
            };
            return startAttempt(record, retry, 1, now, effects);
        }
        case ActionType.CallSubOrchestrator: {
            const id = record.nextEventId++;
            scheduleChild(
                record,
                id,
                name,
                action.instanceId || `${record.instanceId}:${id}`,
                action.input,
                now,
                effects,
            );
            return id;
        }
        case ActionType.CreateTimer: {
            const id = record.nextEventId++;
            const fireAt = String(action.fireAt);
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
                historyEvent(EventType.TaskFailed, { TaskScheduledId: id, FailureDetails: failure }, now),
            );
            return id;
        }
        default:
            return -1;
    }
}

function scheduleActivity(
    record: InstanceRecord,
    id: number,
    name: string,
    input: unknown,
    now: Date,
    effects: Effect[],
): void {
    record.history.push(
        historyEvent(EventType.TaskScheduled, { EventId: id, Name: name, Input: JSON.stringify(input ?? null) }, now),
    );
    record.work.push({ kind: 'activity', id, name, input });
    effects.push({ kind: 'runActivity', id, name, input });
}

function scheduleChild(
    record: InstanceRecord,
    id: number,
    name: string,
    childId: string,
    input: unknown,
    now: Date,
    effects: Effect[],
): void {
    record.history.push(
        historyEvent(EventType.SubOrchestrationInstanceCreated, { EventId: id, Name: name, InstanceId: childId }, now),
    );
    record.work.push({ kind: 'subOrchestration', id, name, childId, input });
    effects.push({ kind: 'startChild', id, name, childId, input });
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

function cancelTimer(record: InstanceRecord, id: number | undefined, effects: Effect[]): void {
    const at = record.work.findIndex((item) => item.kind === 'timer' && item.id === id);
    if (at < 0 || id === undefined) return;
    record.work.splice(at, 1);
    effects.push({ kind: 'cancelTimer', id });
}

function finish(record: InstanceRecord, status: 'Completed' | 'Failed', output: unknown, effects: Effect[]): void {
    record.runtimeStatus = status;
    record.output = output;
    for (const item of record.work) if (item.kind === 'timer') effects.push({ kind: 'cancelTimer', id: item.id });
    record.work = [];
    record.pending = [];
}

/** continueAsNew: a fresh execution with the new input; unprocessed external events carry over. */
export function restartExecution(record: InstanceRecord, input: unknown, now: Date, effects: Effect[]): void {
    for (const item of record.work) if (item.kind === 'timer') effects.push({ kind: 'cancelTimer', id: item.id });
    const carried = record.pending.filter((event) => event.EventType === EventType.EventRaised);
    Object.assign(record, {
        executionId: randomUUID(),
        input: input ?? null,
        history: [],
        actionIds: [],
        nextEventId: 0,
        work: [],
        retryByTask: {},
        retryByTimer: {},
        runtimeStatus: 'Running',
        pending: [
            historyEvent(EventType.ExecutionStarted, { Name: record.name, Input: JSON.stringify(input ?? null) }, now),
            ...carried,
        ],
    });
}

/** What the real host stores: the JSON form (undefined becomes null, class instances plain objects). */
function plain(value: unknown): unknown {
    return value === undefined ? null : (JSON.parse(JSON.stringify(value)) as unknown);
}
