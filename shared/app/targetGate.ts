/**
 * How many calls one target may have in flight in this worker at once. A target that hangs holds an activity slot
 * per call until its timeout; without a bound, enough of them take every slot of the worker
 * (`maxConcurrentActivityFunctions`, 10 by default) and every other target's retry waits behind them. With it, a
 * hung target holds at most `limit` slots; its further attempts are deferred (not made, not counted) and wait on a
 * durable timer, which holds no slot.
 */
export interface TargetGate {
    /** A release function when the target may be called now, else undefined. */
    tryEnter(target: string): (() => void) | undefined;
}

export function createTargetGate(limit: number): TargetGate {
    const inFlight = new Map<string, number>();
    return {
        tryEnter(target) {
            const count = inFlight.get(target) ?? 0;
            if (count >= limit) return undefined;
            inFlight.set(target, count + 1);
            let released = false;
            return () => {
                if (released) return;
                released = true;
                const left = (inFlight.get(target) ?? 1) - 1;
                if (left <= 0) inFlight.delete(target);
                else inFlight.set(target, left);
            };
        },
    };
}
