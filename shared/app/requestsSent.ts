import type { DeliveryTarget } from '../ports/DeliveryTarget';

/**
 * How many of a target's requests got past its rate governor (and so were sent), per built target: the wiring
 * counts them (`shared/composition.ts`), a delivery attempt reads them to tell an attempt that reached the target
 * from one stopped by an exhausted budget before anything was sent.
 */
const counters = new WeakMap<DeliveryTarget, () => number>();

export function trackRequestsSent(target: DeliveryTarget, sent: () => number): DeliveryTarget {
    counters.set(target, sent);
    return target;
}

/** Undefined when the target is not counted (built elsewhere, e.g. a test double). */
export const requestsSentBy = (target: DeliveryTarget): number | undefined => counters.get(target)?.();
