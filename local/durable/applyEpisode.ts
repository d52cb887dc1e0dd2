import { randomUUID } from 'node:crypto';

import type { Effect } from './Effect';
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
import type { InstanceRecord } from './records';
import { applyRetryBookkeeping } from './retryBookkeeping';
import { scheduleAction } from './scheduleAction';

export type { Effect } from './Effect';

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
    const stored = storedForm(outcome);
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

    record.customStatus = stored.customStatus;
    record.lastUpdatedTime = now.toISOString();
    if (outcome.failed || stored.error !== undefined) {
        const error = stored.error ?? outcome.state.error ?? 'orchestrator failed';
        finish(record, 'Failed', error, effects);
        record.failureDetails = outcome.state.failureDetails ?? { ErrorType: 'OrchestratorError', ErrorMessage: error };
    } else if (continueAsNew) {
        restartExecution(record, decodeProcessedInput(continueAsNew.input), now, effects);
    } else if (outcome.state.isDone) {
        finish(record, 'Completed', stored.output, effects);
    } else if (record.runtimeStatus === 'Pending') {
        record.runtimeStatus = 'Running';
    }
    return effects;
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
function storedForm(outcome: EpisodeOutcome): { output: unknown; customStatus: unknown; error?: string } {
    const plain = (value: unknown): unknown =>
        value === undefined ? null : (JSON.parse(JSON.stringify(value)) as unknown);
    try {
        return { output: plain(outcome.state.output), customStatus: plain(outcome.state.customStatus) };
    } catch (error) {
        const message = `orchestrator output or custom status is not JSON: ${(error as Error).message}`;
        return { output: null, customStatus: null, error: message };
    }
}
