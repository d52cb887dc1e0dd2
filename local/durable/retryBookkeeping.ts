import type { Effect } from './Effect';
import { historyEvent } from './episodeInput';
import { EventType, type HistoryEvent } from './protocol';
import type { InstanceRecord, RetryState } from './records';
import { retryDelay } from './retryDelay';
import { startAttempt } from './scheduleAction';

/**
 * The host side of a retried call (DTFx RetryInterceptor): after a failed attempt a retry timer (id allocated now,
 * as the SDK does while replaying that failure); after the timer the next attempt, or nothing once attempts are used up.
 */
export function applyRetryBookkeeping(record: InstanceRecord, event: HistoryEvent, now: Date, effects: Effect[]): void {
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
