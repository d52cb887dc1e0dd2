import type { OrchestrationHandler } from 'durable-functions';

/** What the orchestrator under test yielded, in order. */
export type Step =
    | { kind: 'activity'; name: string; input: unknown }
    | { kind: 'sub'; name: string; input: unknown; instanceId?: string }
    | { kind: 'timer'; fireAt: Date }
    | { kind: 'all'; tasks: Step[] };

export interface DriverResult {
    output: unknown;
    steps: Step[];
    customStatuses: unknown[];
}

/**
 * Drives a generator orchestrator with a fake `context.df`: each yielded task is answered by `answer` (timers
 * advance the fake clock to their fire time). Enough to test the orchestration's decisions without a host.
 */
export async function runOrchestrator(
    handler: OrchestrationHandler,
    input: unknown,
    answer: (step: Exclude<Step, { kind: 'all' } | { kind: 'timer' }>, now: Date) => unknown,
    options: { now: Date; instanceId?: string },
): Promise<DriverResult> {
    let now = options.now;
    const steps: Step[] = [];
    const customStatuses: unknown[] = [];
    const df = {
        instanceId: options.instanceId ?? 'instance-1',
        get currentUtcDateTime() {
            return now;
        },
        isReplaying: false,
        getInput: () => input,
        setCustomStatus: (s: unknown) => customStatuses.push(s),
        callActivity: (name: string, activityInput: unknown): Step => ({
            kind: 'activity',
            name,
            input: activityInput,
        }),
        callSubOrchestrator: (name: string, subInput: unknown, instanceId?: string): Step => ({
            kind: 'sub',
            name,
            input: subInput,
            instanceId,
        }),
        createTimer: (fireAt: Date): Step => ({ kind: 'timer', fireAt }),
        Task: { all: (tasks: Step[]): Step => ({ kind: 'all', tasks }) },
    };
    const resolve = async (step: Step): Promise<unknown> => {
        if (step.kind === 'timer') {
            if (step.fireAt.getTime() > now.getTime()) now = step.fireAt;
            return undefined;
        }
        if (step.kind === 'all') return Promise.all(step.tasks.map(resolve));
        return answer(step, now);
    };
    const gen = handler({ df } as never) as Generator<Step, unknown, unknown>;
    let next = gen.next();
    while (next.done !== true) {
        steps.push(next.value);
        next = gen.next(await resolve(next.value));
    }
    return { output: next.value, steps, customStatuses };
}
