import { applyEpisode, type EpisodeOutcome } from './applyEpisode';
import { episodeEvents, episodeHistory, historyEvent, newInstanceRecord, orchestrationBinding } from './episodeInput';
import { InstanceWork, workEffect } from './InstanceWork';
import type { OrchestrationDeps, StartResult } from './OrchestrationDeps';
import { EventType, failureOf, type HistoryEvent, stateFromOrchestratorError } from './protocol';
import { type InstanceRecord, isTerminal, type WorkItem } from './records';
import { rewindRecord } from './rewindRecord';

export type { OrchestrationDeps, StartResult } from './OrchestrationDeps';

/**
 * Orchestration instances: one episode at a time per instance, many instances at once. An episode's state is
 * written (coalesced per instance) before the sub-orchestrations and entity requests it creates go out; after a
 * crash the stored records are reloaded and their outstanding work is run again.
 */
export class OrchestrationEngine {
    readonly instances = new Map<string, InstanceRecord>();
    private readonly running = new Set<string>();
    private readonly work: InstanceWork;
    private stopping = false;
    private episodes = 0;

    constructor(private readonly deps: OrchestrationDeps) {
        this.work = new InstanceWork(this, deps);
    }

    async recover(): Promise<number> {
        const records = await this.deps.store.loadInstances();
        for (const record of records) this.instances.set(record.instanceId, record);
        let resumed = 0;
        for (const record of records) {
            if (isTerminal(record.runtimeStatus)) {
                if (record.parent && !record.parentNotified) void this.work.finished(record);
                continue;
            }
            resumed++;
            this.work.dispatch(record, record.work.flatMap(workEffect));
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
        this.work.cancelTimers(instanceId);
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
        this.work.cancelTimers(instanceId);
        await this.persist(record);
        void this.work.finished(record);
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

    async rewind(instanceId: string): Promise<{ status: 202 | 404 | 412; reason?: string }> {
        const record = this.instances.get(instanceId);
        if (!record) return { status: 404 };
        const effects = rewindRecord(record, this.deps.now());
        if (typeof effects === 'string') return { status: 412, reason: effects };
        await this.persist(record);
        this.work.dispatch(record, effects);
        return { status: 202 };
    }

    async purge(instanceId: string): Promise<boolean> {
        if (!this.instances.delete(instanceId)) return false;
        this.work.cancelTimers(instanceId);
        await this.deps.writer.write(instanceId, () => this.deps.store.deleteInstance(instanceId));
        return true;
    }

    /** An entity's answer to a `callEntity`: accepted once, while the call is outstanding. */
    async deliverEntityResponse(instanceId: string, requestId: string, payload: string): Promise<void> {
        const record = this.instances.get(instanceId);
        const match = (item: WorkItem): boolean => item.kind === 'entityCall' && item.requestId === requestId;
        if (!record) return;
        const event = historyEvent(EventType.EventRaised, { Name: requestId, Input: payload }, this.deps.now());
        await this.work.deliver(record.instanceId, record.executionId, match, event);
    }

    stats(): { episodes: number; instances: number } {
        return { episodes: this.episodes, instances: this.instances.size };
    }

    async stop(timeoutMs: number): Promise<void> {
        this.stopping = true;
        this.work.clearTimers();
        const until = Date.now() + timeoutMs;
        while ((this.work.inFlight > 0 || this.running.size > 0) && Date.now() < until) {
            await new Promise((resolve) => setTimeout(resolve, 20));
        }
        await this.deps.writer.idle();
    }

    persist(record: InstanceRecord): Promise<void> {
        return this.deps.writer.write(record.instanceId, () =>
            this.instances.get(record.instanceId) === record ? this.deps.store.saveInstance(record) : Promise.resolve(),
        );
    }

    kick(record: InstanceRecord): void {
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
            this.work.dispatch(
                record,
                effects.filter((effect) => effect.kind !== 'startChild'),
                false,
            );
            await this.persist(record);
            this.work.dispatch(
                record,
                effects.filter((effect) => effect.kind === 'startChild'),
            );
            if (record.runtimeStatus === 'Failed') {
                // Core Tools logs a failed orchestration at warning level; without it the default log has no trace.
                this.deps.logger.warn(`Orchestration '${record.name}' (${record.instanceId}) failed`, {
                    error: String(record.output),
                });
            }
            if (isTerminal(record.runtimeStatus)) await this.work.finished(record);
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
}
