import type { RunState } from '../domain/index';

/**
 * Whether a durable run still exists and runs. `ended` is definitive (completed, failed, canceled or terminated);
 * `unknown` means no such instance (yet, or purged), which is not proof of anything: a redelivery claims its rows
 * before its orchestration starts.
 */
export interface RunMonitor {
    stateOf(instanceId: string): Promise<RunState>;
}
