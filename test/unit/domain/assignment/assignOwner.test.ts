import {
    type AssignmentConfig,
    type AssignmentState,
    assignOwner,
    emptyAssignmentState,
    type StickyOwner,
} from '../../../../shared/domain';
import { assignmentConfig, officeHours } from './support';

// Tuesday 2026-12-01 10:00 in Prague (CET, UTC+1).
const tuesdayMorning = new Date('2026-12-01T09:00:00Z');

function run(
    config: AssignmentConfig,
    n: number,
    options: { now?: Date; state?: AssignmentState; queue?: string; sticky?: StickyOwner; exclude?: string[] } = {},
) {
    let state = options.state ?? emptyAssignmentState();
    const picks: (string | undefined)[] = [];
    const explanations: string[] = [];
    for (let i = 0; i < n; i++) {
        const out = assignOwner({
            config,
            queue: options.queue ?? 'emea',
            ruleId: 'r',
            now: options.now ?? tuesdayMorning,
            state,
            sticky: options.sticky,
            exclude: options.exclude,
        });
        state = out.state;
        picks.push(out.assignment.personId);
        explanations.push(out.assignment.explanation);
    }
    return { picks, state, explanations };
}

const counts = (picks: (string | undefined)[]) =>
    picks.reduce<Record<string, number>>((acc, p) => ({ ...acc, [p ?? '-']: (acc[p ?? '-'] ?? 0) + 1 }), {});

describe('round robin', () => {
    it('hands leads to each member in turn and says who was next', () => {
        const { picks, explanations } = run(assignmentConfig({}), 4);
        expect(picks).toEqual(['jana', 'mehmet', 'ana', 'jana']);
        expect(explanations[1]).toBe('round robin in EMEA sales: Mehmet was next');
    });

    it('skips a member at cap and names the cap in the explanation', () => {
        const config = assignmentConfig({
            people: {
                jana: { displayName: 'Jana' },
                mehmet: { displayName: 'Mehmet', dailyCap: 1 },
                ana: { displayName: 'Ana' },
            },
        });
        const { picks, explanations } = run(config, 5);
        expect(picks).toEqual(['jana', 'mehmet', 'ana', 'jana', 'ana']);
        expect(explanations[3]).toBe('round robin in EMEA sales: Jana was next; Mehmet at cap 1/1');
    });
});

describe('weighted', () => {
    it('gives each member leads in proportion to their weight', () => {
        const config = assignmentConfig({
            people: {
                jana: { displayName: 'Jana', weight: 2 },
                mehmet: { displayName: 'Mehmet' },
                ana: { displayName: 'Ana' },
            },
            queues: { emea: { members: ['jana', 'mehmet', 'ana'], strategy: 'weighted' } },
        });
        expect(counts(run(config, 200).picks)).toEqual({ jana: 100, mehmet: 50, ana: 50 });
    });
});

describe('least loaded today', () => {
    it('picks whoever has the fewest leads today, counting every queue', () => {
        const config = assignmentConfig({
            queues: {
                emea: { members: ['jana', 'mehmet', 'ana'], strategy: 'least-loaded' },
                dach: { members: ['jana'], strategy: 'round-robin' },
            },
        });
        const busy = run(config, 3, { queue: 'dach' }).state; // Jana has 3 today from another queue
        const { picks } = run(config, 6, { state: busy });
        expect(counts(picks)).toEqual({ mehmet: 3, ana: 3 });
    });

    it('starts a person at zero on their own next local day', () => {
        const config = assignmentConfig({
            people: {
                jana: { displayName: 'Jana', workingHours: officeHours('Asia/Tokyo'), dailyCap: 1 },
                mehmet: { displayName: 'Mehmet' },
                ana: { displayName: 'Ana' },
            },
            queues: { emea: { members: ['jana'], strategy: 'least-loaded', fallback: { person: 'ana' } } },
        });
        // 2026-12-01 01:00Z is 10:00 in Tokyo; the next day's 01:00Z is Wednesday 10:00 there.
        const first = run(config, 2, { now: new Date('2026-12-01T01:00:00Z') });
        expect(first.picks).toEqual(['jana', 'ana']);
        expect(run(config, 1, { now: new Date('2026-12-02T01:00:00Z'), state: first.state }).picks).toEqual(['jana']);
    });
});

describe('sticky', () => {
    const config = assignmentConfig({
        queues: {
            emea: {
                description: 'EMEA sales',
                members: ['jana', 'mehmet', 'ana'],
                strategy: 'sticky',
                sticky: { windowDays: 30, then: 'round-robin' },
            },
        },
    });

    it("gives a returning person's lead to their earlier owner within the window", () => {
        const { picks, explanations } = run(config, 1, { sticky: { personId: 'ana', at: '2026-11-20T10:00:00Z' } });
        expect(picks).toEqual(['ana']);
        expect(explanations[0]).toBe("sticky in EMEA sales: Ana owned this person's lead of 2026-11-20");
    });

    it('falls back to its strategy for a new person, after the window, or when the earlier owner is away', () => {
        expect(run(config, 1).picks).toEqual(['jana']);
        expect(run(config, 1, { sticky: { personId: 'ana', at: '2026-10-01T10:00:00Z' } }).picks).toEqual(['jana']);
        const away: AssignmentState = {
            ...emptyAssignmentState(),
            outOfOffice: { ana: { since: '2026-11-30T00:00:00Z' } },
        };
        expect(run(config, 1, { state: away, sticky: { personId: 'ana', at: '2026-11-20T10:00:00Z' } }).picks).toEqual([
            'jana',
        ]);
    });
});

describe('eligibility', () => {
    it('leaves out people out of office until their return, and people outside their working hours', () => {
        const config = assignmentConfig({
            people: {
                jana: { displayName: 'Jana', workingHours: officeHours('America/New_York') },
                mehmet: { displayName: 'Mehmet', workingHours: officeHours('Europe/Prague') },
                ana: { displayName: 'Ana', workingHours: officeHours('Europe/Prague') },
            },
        });
        const state: AssignmentState = {
            ...emptyAssignmentState(),
            outOfOffice: { ana: { since: '2026-11-30T00:00:00Z', until: '2026-12-01T12:00:00Z' } },
        };
        // 10:00 in Prague is 04:00 in New York.
        const morning = run(config, 2, { state });
        expect(morning.picks).toEqual(['mehmet', 'mehmet']);
        expect(morning.explanations[0]).toBe(
            'round robin in EMEA sales: Mehmet was next; Jana outside working hours (tue 04:00 America/New_York); Ana out of office',
        );
        // 15:00 UTC: Ana is back (16:00 Prague), Jana is at work (10:00 New York).
        expect(run(config, 3, { state, now: new Date('2026-12-01T15:00:00Z') }).picks).toEqual([
            'jana',
            'mehmet',
            'ana',
        ]);
    });

    it('never offers a lead again to someone who already had it', () => {
        expect(run(assignmentConfig({}), 2, { exclude: ['jana'] }).picks).toEqual(['mehmet', 'ana']);
    });
});

describe('fallback', () => {
    const nightOnly = {
        timeZone: 'UTC',
        days: { mon: ['22:00-23:00'], tue: ['22:00-23:00'] },
    };
    it('gives the lead to the fallback person when nobody is eligible, saying why', () => {
        const config = assignmentConfig({
            people: {
                jana: { displayName: 'Jana', workingHours: nightOnly },
                mehmet: { displayName: 'Mehmet', dailyCap: 1 },
                ana: { displayName: 'Ana' },
            },
            queues: {
                emea: {
                    description: 'EMEA sales',
                    members: ['jana', 'mehmet'],
                    strategy: 'round-robin',
                    fallback: { person: 'ana' },
                },
            },
        });
        const { picks, explanations } = run(config, 2);
        expect(picks).toEqual(['mehmet', 'ana']);
        expect(explanations[1]).toBe(
            'EMEA sales: nobody eligible (Jana outside working hours (tue 09:00 UTC); Mehmet at cap 1/1); fallback owner Ana',
        );
    });

    it('tries the fallback queue, and ends with no owner when that has nobody either', () => {
        const config = assignmentConfig({
            people: {
                jana: { displayName: 'Jana', dailyCap: 1 },
                mehmet: { displayName: 'Mehmet', dailyCap: 1 },
                ana: { displayName: 'Ana' },
            },
            queues: {
                emea: { members: ['jana'], strategy: 'round-robin', fallback: { queue: 'global' } },
                global: { description: 'Global', members: ['mehmet'], strategy: 'round-robin' },
            },
        });
        const { picks, explanations } = run(config, 3);
        expect(picks).toEqual(['jana', 'mehmet', undefined]);
        expect(explanations[1]).toBe(
            'emea: nobody eligible (Jana at cap 1/1); fallback queue Global; round robin in Global: Mehmet was next',
        );
        expect(explanations[2]).toMatch(/Global: nobody eligible \(Mehmet at cap 1\/1\); no owner$/);
    });
});
