import { type AssignmentConfig, countToday, isOutOfOffice, isWorking } from '../domain/index';
import type { AssignmentStore, UnattendedLead } from '../ports/AssignmentStore';

export interface OwnerView {
    personId: string;
    displayName: string;
    queues: string[];
    weight: number;
    dailyCap?: number;
    /** Leads assigned on the person's own local day, in all queues and per queue. */
    today: number;
    todayByQueue: Record<string, number>;
    outOfOffice?: { since: string; until?: string };
    working: boolean;
}

/** The operations API's view of assignment: each owner's load today (fairness), who is away, unattended leads. */
export async function assignmentOverview(
    store: AssignmentStore,
    config: AssignmentConfig | undefined,
    now: Date,
): Promise<{ enabled: boolean; owners: OwnerView[]; unattended: UnattendedLead[] }> {
    if (config === undefined) return { enabled: false, owners: [], unattended: [] };
    const [{ state }, unattended] = await Promise.all([store.read(), store.listUnattended(100)]);
    const at = now.getTime();
    const owners = Object.entries(config.people).map(([personId, p]): OwnerView => {
        const today = countToday(state, personId, p, at);
        return {
            personId,
            displayName: p.displayName,
            queues: Object.entries(config.queues)
                .filter(([, q]) => q.members.includes(personId))
                .map(([id]) => id),
            weight: p.weight,
            ...(p.dailyCap === undefined ? {} : { dailyCap: p.dailyCap }),
            today,
            todayByQueue: today === 0 ? {} : (state.people[personId]?.queues ?? {}),
            ...(isOutOfOffice(state, personId, at) ? { outOfOffice: state.outOfOffice[personId] } : {}),
            working: p.workingHours === undefined || isWorking(p.workingHours, at),
        };
    });
    return { enabled: config.enabled, owners, unattended };
}
