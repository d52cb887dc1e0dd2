/**
 * Owner assignment: a rule picks the queue, the queue's strategy picks the person among those eligible now (not
 * out of office, in working hours, under their daily cap, not excluded), with nobody eligible a fallback person or
 * queue. Pure: the shared counters come in as `state` and the next state goes out, so the caller can commit it
 * conditionally (one ETag) and decide again on a conflict; the explanation says what was decided and why.
 */
import { compileCondition, type CompiledCondition } from '../conditions';
import type { LeadFacts } from '../facts';
import type { AssignmentConfig, AssignmentPerson, AssignmentQueue, AssignmentStrategy } from './assignmentConfig';
import { isWorking, localTime } from './workingHours';

/** What every instance shares: each queue's last pick, each person's count for their own local day, who is away. */
export interface AssignmentState {
    cursors: Record<string, string>;
    people: Record<string, { day: string; count: number; queues: Record<string, number> }>;
    outOfOffice: Record<string, { since: string; until?: string }>;
}

export const emptyAssignmentState = (): AssignmentState => ({ cursors: {}, people: {}, outOfOffice: {} });

/** A person's earlier owner on this person key (sticky): who and when. */
export interface StickyOwner {
    personId: string;
    at: string;
}

export interface ConsideredPerson {
    personId: string;
    eligible: boolean;
    /** Why not eligible: `out of office`, `outside working hours`, `at cap 20/20`, `already had this lead`. */
    reason?: string;
    today: number;
}

export interface OwnerAssignment {
    /** The queue the rules picked. */
    queue: string;
    /** The queue that assigned (differs after a fallback queue). */
    assignedBy: string;
    ruleId: string;
    strategy: AssignmentStrategy | 'fallback-person';
    personId?: string;
    displayName?: string;
    targetIds?: Record<string, string>;
    explanation: string;
    considered: ConsideredPerson[];
    /** ISO time of the decision (the orchestration's). */
    at: string;
}

export interface AssignInput {
    config: AssignmentConfig;
    queue: string;
    ruleId: string;
    now: Date;
    state: AssignmentState;
    sticky?: StickyOwner;
    /** People who may not take it (earlier owners of this lead, on escalation). */
    exclude?: readonly string[];
}

const compiled = new WeakMap<AssignmentConfig, { id: string; queue: string; test: CompiledCondition }[]>();

/** The queue for a lead: the first rule that matches, else the default queue; undefined when assignment is off. */
export function pickQueue(
    facts: LeadFacts,
    config: AssignmentConfig | undefined,
): { queue: string; ruleId: string } | undefined {
    if (config === undefined || !config.enabled) return undefined;
    let rules = compiled.get(config);
    if (rules === undefined) {
        rules = config.rules.map((r) => ({
            id: r.id,
            queue: r.queue,
            test: compileCondition(r.when),
        }));
        compiled.set(config, rules);
    }
    for (const r of rules) if (r.test(facts)) return { queue: r.queue, ruleId: r.id };
    return config.defaultQueue === undefined ? undefined : { queue: config.defaultQueue, ruleId: 'default' };
}

/** The person's assignments on their own local date of `now` (a day starts at their midnight). */
export function countToday(
    state: AssignmentState,
    personId: string,
    person: AssignmentPerson | undefined,
    now: number,
): number {
    const s = state.people[personId];
    if (s === undefined) return 0;
    return s.day === localTime(now, person?.workingHours?.timeZone ?? 'UTC').date ? s.count : 0;
}

function queueCountToday(
    state: AssignmentState,
    personId: string,
    person: AssignmentPerson | undefined,
    queue: string,
    now: number,
): number {
    return countToday(state, personId, person, now) === 0 ? 0 : (state.people[personId]?.queues[queue] ?? 0);
}

export function isOutOfOffice(state: AssignmentState, personId: string, now: number): boolean {
    const o = state.outOfOffice[personId];
    return o !== undefined && (o.until === undefined || Date.parse(o.until) > now);
}

const strategyLabel: Record<AssignmentStrategy, string> = {
    'round-robin': 'round robin',
    weighted: 'weighted',
    'least-loaded': 'least loaded today',
    sticky: 'sticky',
};

export function assignOwner(input: AssignInput): { assignment: OwnerAssignment; state: AssignmentState } {
    const { config, now, ruleId } = input;
    const at = now.toISOString();
    const visited: string[] = [];
    const notes: string[] = [];
    for (let queueId: string | undefined = input.queue; queueId !== undefined && !visited.includes(queueId);) {
        visited.push(queueId);
        const q: AssignmentQueue | undefined = config.queues[queueId];
        if (q === undefined) break;
        const label = q.description ?? queueId;
        const considered = q.members.map((pid) => consider(input, pid));
        const eligible = considered.filter((c) => c.eligible).map((c) => c.personId);
        const picked = pick(input, queueId, eligible);
        const others = considered.filter((c) => !c.eligible).map((c) => `${name(config, c.personId)} ${c.reason}`);
        if (picked !== undefined) {
            const why = picked.sticky
                ? `owned this person's lead of ${input.sticky!.at.slice(0, 10)}`
                : picked.strategy === 'round-robin'
                  ? 'was next'
                  : picked.strategy === 'weighted'
                    ? `had the fewest leads today for their weight (${picked.share})`
                    : `had the fewest leads today (${picked.share})`;
            const head = `${strategyLabel[q.strategy]} in ${label}: ${name(config, picked.personId)} ${why}`;
            return done(
                input,
                queueId,
                picked.personId,
                q.strategy,
                [...notes, [head, ...others].join('; ')],
                considered,
                at,
            );
        }
        notes.push(`${label}: nobody eligible${others.length > 0 ? ` (${others.join('; ')})` : ''}`);
        const f: AssignmentQueue['fallback'] = q.fallback;
        if (f !== undefined && 'person' in f) {
            const away =
                isOutOfOffice(input.state, f.person, now.getTime()) || (input.exclude ?? []).includes(f.person);
            if (!away) {
                notes.push(`fallback owner ${name(config, f.person)}`);
                return done(input, queueId, f.person, 'fallback-person', notes, considered, at);
            }
            notes.push(
                `fallback owner ${name(config, f.person)} ${isOutOfOffice(input.state, f.person, now.getTime()) ? 'out of office' : 'already had this lead'}`,
            );
            queueId = undefined;
        } else if (f !== undefined) {
            notes.push(`fallback queue ${config.queues[f.queue]?.description ?? f.queue}`);
            queueId = f.queue;
        } else queueId = undefined;
    }
    return {
        assignment: {
            queue: input.queue,
            assignedBy: visited.at(-1) ?? input.queue,
            ruleId,
            strategy: config.queues[input.queue]?.strategy ?? 'round-robin',
            explanation: `${notes.join('; ')}; no owner`,
            considered: [],
            at,
        },
        state: input.state,
    };
}

function name(config: AssignmentConfig, personId: string): string {
    return config.people[personId]?.displayName ?? personId;
}

function consider(input: AssignInput, personId: string): ConsideredPerson {
    const person = input.config.people[personId];
    const now = input.now.getTime();
    const today = countToday(input.state, personId, person, now);
    const no = (reason: string): ConsideredPerson => ({ personId, eligible: false, reason, today });
    if ((input.exclude ?? []).includes(personId)) return no('already had this lead');
    if (isOutOfOffice(input.state, personId, now)) return no('out of office');
    if (person?.workingHours !== undefined && !isWorking(person.workingHours, now)) {
        const t = localTime(now, person.workingHours.timeZone);
        const hhmm = `${String(Math.floor(t.minute / 60)).padStart(2, '0')}:${String(t.minute % 60).padStart(2, '0')}`;
        return no(`outside working hours (${t.weekday} ${hhmm} ${person.workingHours.timeZone})`);
    }
    if (person?.dailyCap !== undefined && today >= person.dailyCap) return no(`at cap ${today}/${person.dailyCap}`);
    return { personId, eligible: true, today };
}

/** Members in order, starting after the queue's last pick: ties go round instead of always to the first. */
function rotation(input: AssignInput, queueId: string, eligible: string[]): string[] {
    const members = input.config.queues[queueId]!.members;
    const last = members.indexOf(input.state.cursors[queueId] ?? '');
    const order = [...members.slice(last + 1), ...members.slice(0, last + 1)];
    return order.filter((m) => eligible.includes(m));
}

function pick(
    input: AssignInput,
    queueId: string,
    eligible: string[],
): { personId: string; strategy: AssignmentStrategy; sticky?: boolean; share?: string } | undefined {
    if (eligible.length === 0) return undefined;
    const q = input.config.queues[queueId]!;
    const now = input.now.getTime();
    let strategy = q.strategy;
    if (strategy === 'sticky') {
        const s = input.sticky;
        const window = (q.sticky?.windowDays ?? 0) * 86_400_000;
        if (s !== undefined && eligible.includes(s.personId) && now - Date.parse(s.at) <= window)
            return { personId: s.personId, strategy, sticky: true };
        strategy = q.sticky?.then ?? 'round-robin';
    }
    const order = rotation(input, queueId, eligible);
    if (strategy === 'round-robin') return { personId: order[0]!, strategy };
    const load = (pid: string) => {
        const person = input.config.people[pid];
        return strategy === 'weighted'
            ? queueCountToday(input.state, pid, person, queueId, now) / (person?.weight ?? 1)
            : countToday(input.state, pid, person, now);
    };
    // The lowest load wins; among equals the heavier weight, then the rotation after the last pick.
    let best = order[0]!;
    for (const pid of order.slice(1)) {
        const [a, b] = [load(pid), load(best)];
        const heavier = (input.config.people[pid]?.weight ?? 1) > (input.config.people[best]?.weight ?? 1);
        if (a < b || (a === b && strategy === 'weighted' && heavier)) best = pid;
    }
    const person = input.config.people[best];
    const share =
        strategy === 'weighted'
            ? `${queueCountToday(input.state, best, person, queueId, now)} at weight ${person?.weight ?? 1}`
            : `${countToday(input.state, best, person, now)}`;
    return { personId: best, strategy, share };
}

function done(
    input: AssignInput,
    queueId: string,
    personId: string,
    strategy: OwnerAssignment['strategy'],
    notes: string[],
    considered: ConsideredPerson[],
    at: string,
): { assignment: OwnerAssignment; state: AssignmentState } {
    const person = input.config.people[personId];
    const now = input.now.getTime();
    const day = localTime(now, person?.workingHours?.timeZone ?? 'UTC').date;
    const prior = input.state.people[personId];
    const fresh = prior === undefined || prior.day !== day;
    const queues = fresh ? {} : { ...prior.queues };
    queues[queueId] = (queues[queueId] ?? 0) + 1;
    const state: AssignmentState = {
        ...input.state,
        cursors: { ...input.state.cursors, [queueId]: personId },
        people: { ...input.state.people, [personId]: { day, count: (fresh ? 0 : prior.count) + 1, queues } },
    };
    return {
        assignment: {
            queue: input.queue,
            assignedBy: queueId,
            ruleId: input.ruleId,
            strategy,
            personId,
            displayName: person?.displayName ?? personId,
            ...(person?.targetIds === undefined ? {} : { targetIds: person.targetIds }),
            explanation: notes.join('; '),
            considered,
            at,
        },
        state,
    };
}
