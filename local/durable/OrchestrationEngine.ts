import type { HostLogger } from '../contracts';
import { applyEpisode, type Effect, type EpisodeOutcome } from './applyEpisode';
import type { CoalescingWriter } from './CoalescingWriter';
import type { DurableStore } from './DurableStore';
import { episodeEvents, episodeHistory, historyEvent, newInstanceRecord, orchestrationBinding } from './episodeInput';
import { EventType, failureOf, type HistoryEvent, stateFromOrchestratorError } from './protocol';
import { type EntityRequest, type InstanceRecord, isTerminal, type WorkItem } from './records';
import type { Semaphore } from './Semaphore';
import { TimerSet } from './TimerSet';

export interface OrchestrationDeps {
    store: DurableStore;
    writer: CoalescingWriter;
    activities: Semaphore;
    episodes: Semaphore;
    logger: HostLogger;
    now(): Date;
    hasOrchestrator(name: string): boolean;
    /** Runs one episode through the SDK; returns the OrchestratorState or throws what the handler threw. */
    invokeOrchestrator(name: string, binding: unknown, invocationId: string): Promise<unknown>;
    invokeActivity(name: string, input: unknown): Promise<unknown>;
    sendToEntity(request: EntityRequest): Promise<void>;
}

export type StartResult = 'started' | 'conflict' | 'unknownOrchestrator';

/**
 * Orchestration instances: one episode at a time per instance, many instances at once. Every state change is
 * written (coalesced) before the work it implies is dispatched, so a crash replays the last stored episode's work.
 */
export class OrchestrationEngine {
    readonly instances = new Map<string, InstanceRecord>();
    private readonly running = new Set<string>();
    private readonly timers = new TimerSet();
    private inFlight = 0;
    private stopping = false;
    private episodes = 0;

    constructor(private readonly deps: OrchestrationDeps) {}

    async recover(): Promise<number> {
        const records = await this.deps.store.loadInstances();
        for (const record of records) this.instances.set(record.instanceId, record);
        let resumed = 0;
        for (const record of records) {
            if (isTerminal(record.runtimeStatus)) {
                if (record.parent && !record.parentNotified) void this.onFinished(record);
                continue;
            }
            resumed++;
            this.dispatch(record, record.work.flatMap(workEffect));
            this.kick(record);
        }
        return resumed;
    }

    async start(
        name: string,
        instanceId: string,
        input: unknown,
        parent?: InstanceRecord['parent'],
        version?: string,
    ): Promise<StartResult> {
        if (!this.deps.hasOrchestrator(name)) return 'unknownOrchestrator';
        const existing = this.instances.get(instanceId);
        if (existing && !isTerminal(existing.runtimeStatus)) return 'conflict';
        this.timers.cancelPrefix(timerPrefix(instanceId));
        const record = newInstanceRecord(name, instanceId, input, this.deps.now(), parent, version);
        this.instances.set(instanceId, record);
        await this.persist(record);
        this.kick(record);
        return 'started';
    }

    /** `inputJson` is the request body as the client sent it (JSON text) or undefined. */
    async raiseEvent(instanceId: string, eventName: string, inputJson: string | undefined): Promise<404 | 410 | 202> {
        const record = this.instances.get(instanceId);
        if (!record) return 404;
        if (isTerminal(record.runtimeStatus)) return 410;
        record.pending.push(
            historyEvent(EventType.EventRaised, { Name: eventName, Input: inputJson }, this.deps.now()),
        );
        await this.persist(record);
        this.kick(record);
        return 202;
    }

    async terminate(instanceId: string, reason: string): Promise<404 | 410 | 202> {
        const record = this.instances.get(instanceId);
        if (!record) return 404;
        if (isTerminal(record.runtimeStatus)) return 410;
        record.runtimeStatus = 'Terminated';
        record.output = reason;
        record.work = [];
        record.pending = [];
        record.lastUpdatedTime = this.deps.now().toISOString();
        this.timers.cancelPrefix(timerPrefix(instanceId));
        await this.persist(record);
        void this.onFinished(record);
        return 202;
    }

    async suspend(instanceId: string, suspend: boolean): Promise<404 | 410 | 202> {
        const record = this.instances.get(instanceId);
        if (!record) return 404;
        if (isTerminal(record.runtimeStatus)) return 410;
        if (suspend) record.runtimeStatus = 'Suspended';
        else if (record.runtimeStatus === 'Suspended')
            record.runtimeStatus = record.history.length ? 'Running' : 'Pending';
        record.lastUpdatedTime = this.deps.now().toISOString();
        await this.persist(record);
        this.kick(record);
        return 202;
    }

    async purge(instanceId: string): Promise<boolean> {
        if (!this.instances.delete(instanceId)) return false;
        this.timers.cancelPrefix(timerPrefix(instanceId));
        await this.deps.writer.write(instanceId, () => this.deps.store.deleteInstance(instanceId));
        return true;
    }

    /** An entity's answer to a `callEntity`: accepted once, while the call is outstanding. */
    async deliverEntityResponse(instanceId: string, requestId: string, payload: string): Promise<void> {
        const record = this.instances.get(instanceId);
        const match = (item: WorkItem): boolean => item.kind === 'entityCall' && item.requestId === requestId;
        if (!record) return;
        const event = historyEvent(EventType.EventRaised, { Name: requestId, Input: payload }, this.deps.now());
        await this.deliver(record.instanceId, record.executionId, match, event);
    }

    stats(): { episodes: number; instances: number } {
        return { episodes: this.episodes, instances: this.instances.size };
    }

    async stop(timeoutMs: number): Promise<void> {
        this.stopping = true;
        this.timers.clear();
        const until = Date.now() + timeoutMs;
        while ((this.inFlight > 0 || this.running.size > 0) && Date.now() < until) {
            await new Promise((resolve) => setTimeout(resolve, 20));
        }
        await this.deps.writer.idle();
    }

    private persist(record: InstanceRecord): Promise<void> {
        return this.deps.writer.write(record.instanceId, () =>
            this.instances.get(record.instanceId) === record ? this.deps.store.saveInstance(record) : Promise.resolve(),
        );
    }

    private kick(record: InstanceRecord): void {
        if (this.running.has(record.instanceId) || this.stopping) return;
        this.running.add(record.instanceId);
        void this.runEpisodes(record)
            .catch((error: unknown) =>
                this.deps.logger.error('durable episode failed', {
                    instanceId: record.instanceId,
                    error: String(error),
                }),
            )
            .finally(() => {
                this.running.delete(record.instanceId);
                // An event may have arrived between the loop's last check and here.
                if (this.runnable(record)) this.kick(record);
            });
    }

    private runnable(record: InstanceRecord): boolean {
        return (
            !this.stopping &&
            this.instances.get(record.instanceId) === record &&
            record.pending.length > 0 &&
            !isTerminal(record.runtimeStatus) &&
            record.runtimeStatus !== 'Suspended'
        );
    }

    private async runEpisodes(record: InstanceRecord): Promise<void> {
        while (this.runnable(record)) {
            const events = episodeEvents(record);
            const now = this.deps.now();
            const history = episodeHistory(record, events, now);
            const execution = record.executionId;
            const outcome = await this.invoke(record, history);
            if (this.instances.get(record.instanceId) !== record || record.executionId !== execution) return;
            if (isTerminal(record.runtimeStatus)) return;
            const effects = applyEpisode(record, events, history, outcome, now);
            // Activities and timers may start before the write lands: if it never does, the stored record replays
            // this episode and schedules them again (at-least-once). Children and entity requests wait for it,
            // so they are created once.
            this.dispatch(
                record,
                effects.filter((effect) => effect.kind !== 'startChild'),
                false,
            );
            await this.persist(record);
            this.dispatch(
                record,
                effects.filter((effect) => effect.kind === 'startChild'),
            );
            if (isTerminal(record.runtimeStatus)) await this.onFinished(record);
        }
    }

    private async invoke(record: InstanceRecord, history: HistoryEvent[]): Promise<EpisodeOutcome> {
        const invocationId = `${record.instanceId}:${++this.episodes}`;
        if (!this.deps.hasOrchestrator(record.name)) {
            return {
                state: { isDone: false, actions: [], error: `orchestrator '${record.name}' is not registered` },
                failed: true,
            };
        }
        try {
            const binding = orchestrationBinding(record, history);
            const state = await this.deps.episodes.run(() =>
                this.deps.invokeOrchestrator(record.name, binding, invocationId),
            );
            // Not cloned: leaves are de-duplicated by identity (a task yielded again inside Task.any).
            return { state: state as EpisodeOutcome['state'], failed: false };
        } catch (error) {
            const state = stateFromOrchestratorError(error);
            return {
                state: state ?? { isDone: false, actions: [], error: failureOf(error).ErrorMessage },
                failed: true,
            };
        }
    }

    private dispatch(record: InstanceRecord, effects: Effect[], stored = true): void {
        const { instanceId, executionId } = record;
        for (const effect of effects) {
            if (effect.kind === 'runActivity')
                this.runActivity(instanceId, executionId, effect.id, effect.name, effect.input);
            else if (effect.kind === 'armTimer') this.armTimer(instanceId, executionId, effect.id, effect.fireAt);
            else if (effect.kind === 'cancelTimer') this.timers.cancel(`${timerPrefix(instanceId)}${effect.id}`);
            else void this.startChild(record, effect.id, effect.name, effect.childId, effect.input);
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
        this.inFlight++;
        void this.deps.activities
            .run(() => this.deps.invokeActivity(name, input))
            .then(
                (result) =>
                    historyEvent(
                        EventType.TaskCompleted,
                        { TaskScheduledId: id, Result: JSON.stringify(result ?? null) },
                        this.deps.now(),
                    ),
                (error: unknown) =>
                    historyEvent(
                        EventType.TaskFailed,
                        { TaskScheduledId: id, FailureDetails: failureOf(error) },
                        this.deps.now(),
                    ),
            )
            .then((event) => this.deliver(instanceId, executionId, match, event, true))
            .catch((error: unknown) =>
                this.deps.logger.error('durable activity result lost', { instanceId, error: String(error) }),
            )
            .finally(() => this.inFlight--);
    }

    private armTimer(instanceId: string, executionId: string, id: number, fireAt: string): void {
        const match = (item: WorkItem): boolean => item.kind === 'timer' && item.id === id;
        this.timers.arm(`${timerPrefix(instanceId)}${id}`, new Date(fireAt), () => {
            const event = historyEvent(EventType.TimerFired, { TimerId: id, FireAt: fireAt }, this.deps.now());
            void this.deliver(instanceId, executionId, match, event, true).catch(() => undefined);
        });
    }

    private async startChild(
        parent: InstanceRecord,
        id: number,
        name: string,
        childId: string,
        input: unknown,
    ): Promise<void> {
        const existing = this.instances.get(childId);
        if (existing?.parent?.instanceId === parent.instanceId && existing.parent.taskId === id) {
            if (isTerminal(existing.runtimeStatus) && !existing.parentNotified) await this.onFinished(existing);
            return;
        }
        const result = await this.start(name, childId, input, { instanceId: parent.instanceId, taskId: id });
        if (result === 'started') return;
        const failure = {
            ErrorType: 'SubOrchestrationError',
            ErrorMessage: `cannot start '${name}' as '${childId}': ${result}`,
        };
        const event = historyEvent(
            EventType.SubOrchestrationInstanceFailed,
            { TaskScheduledId: id, FailureDetails: failure },
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
    private async onFinished(record: InstanceRecord): Promise<void> {
        this.timers.cancelPrefix(timerPrefix(record.instanceId));
        const parent = record.parent && this.instances.get(record.parent.instanceId);
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
                      { TaskScheduledId: taskId, FailureDetails: childFailure(record) },
                      this.deps.now(),
                  );
        const match = (item: WorkItem): boolean =>
            item.kind === 'subOrchestration' && item.id === taskId && item.childId === record.instanceId;
        if (parent) await this.deliver(parent.instanceId, parent.executionId, match, event);
        record.parentNotified = true;
        await this.persist(record);
    }

    private async deliver(
        instanceId: string,
        executionId: string,
        match: (item: WorkItem) => boolean,
        event: HistoryEvent,
        replayable = false,
    ): Promise<void> {
        const record = this.instances.get(instanceId);
        if (!record || record.executionId !== executionId || isTerminal(record.runtimeStatus)) return;
        const at = record.work.findIndex(match);
        if (at < 0) return;
        record.work.splice(at, 1);
        record.pending.push(event);
        // Activity results and fired timers need no write of their own: the stored record still lists the work,
        // so a crash before the next episode is written re-runs the activity or re-fires the timer.
        if (!replayable) await this.persist(record);
        this.kick(record);
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
function workEffect(item: WorkItem): Effect[] {
    switch (item.kind) {
        case 'activity':
            return [{ kind: 'runActivity', id: item.id, name: item.name, input: item.input }];
        case 'timer':
            return [{ kind: 'armTimer', id: item.id, fireAt: item.fireAt }];
        case 'subOrchestration':
            return [{ kind: 'startChild', id: item.id, name: item.name, childId: item.childId, input: item.input }];
        case 'entityCall':
            return []; // the request is in the outbox or already with the entity, whose outbox holds the answer
    }
}

function removeFrom<T>(list: T[], item: T): void {
    const at = list.indexOf(item);
    if (at >= 0) list.splice(at, 1);
}
