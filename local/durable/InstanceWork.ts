import type { Effect } from './Effect';
import { historyEvent } from './episodeInput';
import type { OrchestrationDeps, StartResult } from './OrchestrationDeps';
import { EventType, failedEventFields, failureOf, type HistoryEvent } from './protocol';
import { type InstanceRecord, isTerminal, type WorkItem } from './records';
import { TimerSet } from './TimerSet';

/** What the work dispatcher needs from the engine that owns the instances. */
export interface WorkOwner {
    readonly instances: Map<string, InstanceRecord>;
    persist(record: InstanceRecord): Promise<void>;
    kick(record: InstanceRecord): void;
    start(
        name: string,
        instanceId: string,
        input: unknown,
        parent?: InstanceRecord['parent'],
        version?: string,
    ): Promise<StartResult>;
}

/**
 * Carries out what episodes decided: runs activities (bounded), arms durable timers, starts sub-orchestrations,
 * sends entity requests, and hands each result back to its instance exactly once (while the work is outstanding and
 * the execution is the same).
 */
export class InstanceWork {
    private readonly timers = new TimerSet();
    private running = 0;

    constructor(
        private readonly owner: WorkOwner,
        private readonly deps: OrchestrationDeps,
    ) {}

    get inFlight(): number {
        return this.running;
    }

    cancelTimers(instanceId: string): void {
        this.timers.cancelPrefix(timerPrefix(instanceId));
    }

    clearTimers(): void {
        this.timers.clear();
    }

    /** `stored`: the record, outbox included, is written, so its entity requests may go out. */
    dispatch(record: InstanceRecord, effects: Effect[], stored = true): void {
        const { instanceId, executionId } = record;
        for (const effect of effects) {
            if (effect.kind === 'runActivity')
                this.runActivity(instanceId, executionId, effect.id, effect.name, effect.input);
            else if (effect.kind === 'armTimer') this.armTimer(instanceId, executionId, effect.id, effect.fireAt);
            else if (effect.kind === 'cancelTimer') this.timers.cancel(`${timerPrefix(instanceId)}${effect.id}`);
            else void this.startChild(record, effect);
        }
        if (!stored) return;
        for (const request of [...record.outbox]) {
            this.deps.sendToEntity(request).then(
                () => removeFrom(record.outbox, request),
                (error: unknown) =>
                    this.deps.logger.error('durable entity send failed', {
                        entity: request.entity,
                        error: String(error),
                    }),
            );
        }
    }

    private runActivity(instanceId: string, executionId: string, id: number, name: string, input: unknown): void {
        const match = (item: WorkItem): boolean => item.kind === 'activity' && item.id === id;
        this.running++;
        // A result that cannot be serialised fails the task, as the worker would fail the invocation.
        void this.deps.activities
            .run(async () => {
                const result = await this.deps.invokeActivity(name, input);
                const completed = { TaskScheduledId: id, Result: JSON.stringify(result ?? null) };
                return historyEvent(EventType.TaskCompleted, completed, this.deps.now());
            })
            .catch((error: unknown) =>
                historyEvent(
                    EventType.TaskFailed,
                    { TaskScheduledId: id, ...failedEventFields(failureOf(error)) },
                    this.deps.now(),
                ),
            )
            .then((event) => this.deliver(instanceId, executionId, match, event, true))
            .catch((error: unknown) =>
                this.deps.logger.error('durable activity result lost', { instanceId, error: String(error) }),
            )
            .finally(() => this.running--);
    }

    private armTimer(instanceId: string, executionId: string, id: number, fireAt: string): void {
        const match = (item: WorkItem): boolean => item.kind === 'timer' && item.id === id;
        this.timers.arm(`${timerPrefix(instanceId)}${id}`, new Date(fireAt), () => {
            const event = historyEvent(EventType.TimerFired, { TimerId: id, FireAt: fireAt }, this.deps.now());
            void this.deliver(instanceId, executionId, match, event, true).catch(() => undefined);
        });
    }

    private async startChild(parent: InstanceRecord, child: Extract<Effect, { kind: 'startChild' }>): Promise<void> {
        const { id, name, childId, input, version } = child;
        const existing = this.owner.instances.get(childId);
        if (existing?.parent?.instanceId === parent.instanceId && existing.parent.taskId === id) {
            // After a restart: still running, or finished without having reported. Otherwise (it reported, and the
            // parent asks again) the parent was rewound and the child runs afresh.
            if (!isTerminal(existing.runtimeStatus)) return;
            if (!existing.parentNotified) return this.finished(existing);
        }
        const link = { instanceId: parent.instanceId, taskId: id };
        const result = await this.owner.start(name, childId, input, link, version);
        if (result === 'started') return;
        const failure = {
            ErrorType: 'SubOrchestrationError',
            ErrorMessage: `cannot start '${name}' as '${childId}': ${result}`,
        };
        const event = historyEvent(
            EventType.SubOrchestrationInstanceFailed,
            { TaskScheduledId: id, ...failedEventFields(failure) },
            this.deps.now(),
        );
        await this.deliver(
            parent.instanceId,
            parent.executionId,
            (item) => item.kind === 'subOrchestration' && item.id === id,
            event,
        );
    }

    /** A finished child reports to its parent once; the parent accepts it while the call is outstanding. */
    async finished(record: InstanceRecord): Promise<void> {
        this.cancelTimers(record.instanceId);
        const parent = record.parent && this.owner.instances.get(record.parent.instanceId);
        if (!record.parent || record.parentNotified) return;
        const taskId = record.parent.taskId;
        const event =
            record.runtimeStatus === 'Completed'
                ? historyEvent(
                      EventType.SubOrchestrationInstanceCompleted,
                      { TaskScheduledId: taskId, Result: JSON.stringify(record.output ?? null) },
                      this.deps.now(),
                  )
                : historyEvent(
                      EventType.SubOrchestrationInstanceFailed,
                      { TaskScheduledId: taskId, ...failedEventFields(childFailure(record)) },
                      this.deps.now(),
                  );
        const match = (item: WorkItem): boolean =>
            item.kind === 'subOrchestration' && item.id === taskId && item.childId === record.instanceId;
        if (parent) await this.deliver(parent.instanceId, parent.executionId, match, event);
        record.parentNotified = true;
        await this.owner.persist(record);
    }

    async deliver(
        instanceId: string,
        executionId: string,
        match: (item: WorkItem) => boolean,
        event: HistoryEvent,
        replayable = false,
    ): Promise<void> {
        const record = this.owner.instances.get(instanceId);
        if (!record || record.executionId !== executionId || isTerminal(record.runtimeStatus)) return;
        const at = record.work.findIndex(match);
        if (at < 0) return;
        record.work.splice(at, 1);
        record.pending.push(event);
        // Activity results and fired timers need no write of their own: the stored record still lists the work,
        // so a crash before the next episode is written re-runs the activity or re-fires the timer.
        if (!replayable) await this.owner.persist(record);
        this.owner.kick(record);
    }
}

function timerPrefix(instanceId: string): string {
    return `${instanceId}\u0000`;
}

function childFailure(record: InstanceRecord): { ErrorType: string; ErrorMessage: string } {
    if (record.runtimeStatus === 'Terminated')
        return { ErrorType: 'TerminatedError', ErrorMessage: `terminated: ${String(record.output)}` };
    return {
        ErrorType: record.failureDetails?.ErrorType ?? 'OrchestrationFailure',
        ErrorMessage: String(record.output),
    };
}

/** Work stored in a record, turned back into effects when the host restarts (in-flight work is run again). */
export function workEffect(item: WorkItem): Effect[] {
    switch (item.kind) {
        case 'activity':
            return [{ kind: 'runActivity', id: item.id, name: item.name, input: item.input }];
        case 'timer':
            return [{ kind: 'armTimer', id: item.id, fireAt: item.fireAt }];
        case 'subOrchestration':
            return [{ ...item, kind: 'startChild' }];
        case 'entityCall':
            return []; // the request is in the outbox or already with the entity, whose outbox holds the answer
    }
}

function removeFrom<T>(list: T[], item: T): void {
    const at = list.indexOf(item);
    if (at >= 0) list.splice(at, 1);
}
