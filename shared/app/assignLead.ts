import { type AssignmentConfig, assignOwner, type OwnerAssignment } from '../domain/index';
import type { AssignmentStore } from '../ports/AssignmentStore';
import type { Logger } from '../ports/Logger';

export interface AssignLeadDeps {
    assignments: AssignmentStore;
    config: AssignmentConfig;
    logger: Logger;
    /** Waits between tries after a conflict (randomised here, outside the domain). */
    sleep?: (ms: number) => Promise<void>;
    random?: () => number;
}

export interface AssignLeadInput {
    leadId: string;
    queue: string;
    ruleId: string;
    /** The orchestration's time: the same when the activity runs again. */
    now: Date;
    round: number;
    personKey?: string;
    exclude?: readonly string[];
}

/** Tries before giving up: each conflict means another instance assigned a lead in between, so progress is made. */
export const MAX_ASSIGN_TRIES = 60;

export class AssignmentConflictError extends Error {
    constructor(leadId: string) {
        super(`Lead ${leadId}: the assignment state kept changing for ${MAX_ASSIGN_TRIES} tries`);
        this.name = 'AssignmentConflictError';
    }
}

/**
 * Assigns the lead's owner for `round` once: reads the shared state, lets the domain decide, and commits the new
 * counters together with the lead's claim; a conflict (another instance assigned meanwhile) reads and decides again,
 * and a claim already there (this activity ran before, or a replay) is the answer. So no two leads take the last
 * slot under a cap, no counter skips, and a lead never gets two owners for one round.
 */
export function assignLead(deps: AssignLeadDeps, input: AssignLeadInput): Promise<OwnerAssignment> {
    // One assignment at a time per worker and store: leads of one worker never race each other for the state row, so
    // conflicts come only from other instances (a few at marketplace volumes) instead of from every lead in flight.
    const previous = queues.get(deps.assignments) ?? Promise.resolve();
    const mine = previous.then(
        () => assignOnce(deps, input),
        () => assignOnce(deps, input),
    );
    const settled = mine.then(
        () => undefined,
        () => undefined,
    );
    queues.set(deps.assignments, settled);
    void settled.then(() => {
        if (queues.get(deps.assignments) === settled) queues.delete(deps.assignments);
    });
    return mine;
}

const queues = new WeakMap<AssignmentStore, Promise<void>>();

async function assignOnce(deps: AssignLeadDeps, input: AssignLeadInput): Promise<OwnerAssignment> {
    const sleep = deps.sleep ?? ((ms) => new Promise<void>((r) => setTimeout(r, ms)));
    const random = deps.random ?? Math.random;
    const sticky = deps.config.queues[input.queue]?.strategy === 'sticky' ? input.personKey : undefined;
    for (let tries = 1; tries <= MAX_ASSIGN_TRIES; tries++) {
        const snapshot = await deps.assignments.read(sticky);
        const { assignment, state } = assignOwner({
            config: deps.config,
            queue: input.queue,
            ruleId: input.ruleId,
            now: input.now,
            state: snapshot.state,
            sticky: snapshot.sticky,
            exclude: input.exclude,
        });
        const result = await deps.assignments.commit({
            etag: snapshot.etag,
            state,
            leadId: input.leadId,
            round: input.round,
            assignment,
            ...(input.personKey === undefined ? {} : { personKey: input.personKey }),
        });
        if (result === 'committed') {
            deps.logger.info('Lead assigned', {
                leadId: input.leadId,
                queue: assignment.assignedBy,
                strategy: assignment.strategy,
                owner: assignment.personId,
                round: input.round,
                tries,
            });
            return assignment;
        }
        if (result === 'claimed') {
            const claimed = await deps.assignments.claimOf(input.leadId, input.round);
            if (claimed !== undefined) return claimed;
        }
        // Full jitter, growing to ~200 ms: many instances at once spread out instead of colliding again.
        await sleep(random() * Math.min(200, 5 * 2 ** Math.min(tries, 6)));
    }
    throw new AssignmentConflictError(input.leadId);
}
