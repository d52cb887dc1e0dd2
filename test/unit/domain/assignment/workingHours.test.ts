import {
    addWorkingMinutes,
    escalationStep,
    instantOf,
    isWorking,
    parsePipelineConfig,
    slaDueAt,
} from '../../../../shared/domain';
import { defaultConfigJson } from '../support/samples';
import { assignmentConfig, officeHours } from './support';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

describe('working hours in the person’s time zone', () => {
    it('reads a weekday schedule in Prague, New York and Tokyo at the same instant', () => {
        const instant = at('2026-12-01T14:30:00Z'); // Tue 15:30 Prague, 09:30 New York, 23:30 Tokyo
        expect(isWorking(officeHours('Europe/Prague'), instant)).toBe(true);
        expect(isWorking(officeHours('America/New_York'), instant)).toBe(true);
        expect(isWorking(officeHours('Asia/Tokyo'), instant)).toBe(false);
    });

    it('follows the clock change: 09:00 in Prague is 08:00Z before the last Sunday of March and 07:00Z after', () => {
        const prague = officeHours('Europe/Prague');
        expect(isWorking(prague, at('2026-03-27T08:00:00Z'))).toBe(true);
        expect(isWorking(prague, at('2026-03-27T07:30:00Z'))).toBe(false);
        expect(isWorking(prague, at('2026-03-30T07:30:00Z'))).toBe(true);
        expect(iso(instantOf(2026, 3, 30, 9 * 60, 'Europe/Prague'))).toBe('2026-03-30T07:00:00.000Z');
    });

    it('places a wall time skipped by the spring change past it and a repeated one at its first occurrence', () => {
        // 02:30 does not exist on 2026-03-29 in Prague (02:00 → 03:00): it is 03:30 CEST.
        expect(iso(instantOf(2026, 3, 29, 150, 'Europe/Prague'))).toBe('2026-03-29T01:30:00.000Z');
        // 02:30 happens twice on 2026-10-25: first in CEST (00:30Z), then in CET.
        expect(iso(instantOf(2026, 10, 25, 150, 'Europe/Prague'))).toBe('2026-10-25T00:30:00.000Z');
        // New York falls back on 2026-11-01: 01:30 EDT is 05:30Z.
        expect(iso(instantOf(2026, 11, 1, 90, 'America/New_York'))).toBe('2026-11-01T05:30:00.000Z');
    });

    it('counts SLA minutes only while the person works: a Friday-evening lead with 4 hours is due Monday 13:00', () => {
        const prague = officeHours('Europe/Prague');
        expect(iso(addWorkingMinutes(prague, at('2026-12-04T18:00:00Z'), 240))).toBe('2026-12-07T12:00:00.000Z');
        // Inside the day: 15 minutes later.
        expect(iso(addWorkingMinutes(prague, at('2026-12-01T09:00:00Z'), 15))).toBe('2026-12-01T09:15:00.000Z');
        // Across the end of a day: 16:30 + 60 min → 30 min today, 30 tomorrow (09:30 local = 08:30Z).
        expect(iso(addWorkingMinutes(prague, at('2026-12-01T15:30:00Z'), 60))).toBe('2026-12-02T08:30:00.000Z');
    });

    it('counts across the autumn clock change in New York without losing or adding an hour', () => {
        const ny = officeHours('America/New_York');
        // Fri 2026-10-30 16:00 EDT (20:00Z) + 120 working minutes: 60 on Friday, 60 on Monday from 09:00 EST (14:00Z).
        expect(iso(addWorkingMinutes(ny, at('2026-10-30T20:00:00Z'), 120))).toBe('2026-11-02T15:00:00.000Z');
    });

    it('uses wall-clock minutes for a person without working hours', () => {
        const config = assignmentConfig({});
        expect(slaDueAt(config, 'jana', new Date('2026-12-05T23:50:00Z'), 15).toISOString()).toBe(
            '2026-12-06T00:05:00.000Z',
        );
    });
});

describe('escalation policy', () => {
    const config = assignmentConfig({
        queues: {
            emea: {
                members: ['jana'],
                strategy: 'round-robin',
                escalation: { reassign: true, notify: ['managers'], maxEscalations: 2 },
            },
            bare: { members: ['jana'], strategy: 'round-robin' },
        },
    });

    it('reassigns and tells the managers up to the limit, then parks the lead as unattended', () => {
        expect(escalationStep(config, 'emea', 0)).toEqual({
            action: 'escalate',
            reassign: true,
            notify: ['managers'],
            escalation: 1,
        });
        expect(escalationStep(config, 'emea', 1)).toMatchObject({ action: 'escalate', escalation: 2 });
        expect(escalationStep(config, 'emea', 2)).toEqual({ action: 'unattended', notify: ['managers'] });
        expect(escalationStep(config, 'bare', 0)).toEqual({ action: 'unattended', notify: [] });
    });
});

describe('the assignment section of pipeline.json', () => {
    const withAssignment = (assignment: unknown) => parsePipelineConfig({ ...defaultConfigJson(), assignment });

    it('names every broken reference, unknown time zone and circle of fallbacks at once', () => {
        let message = '';
        try {
            withAssignment({
                enabled: true,
                people: { jana: { displayName: 'Jana', notify: ['dynamics'] } },
                queues: {
                    a: { members: ['jana', 'nobody'], strategy: 'sticky', fallback: { queue: 'b' } },
                    b: { members: ['jana'], strategy: 'round-robin', fallback: { queue: 'a' } },
                },
                rules: [{ id: 'r', description: 'd', when: true, queue: 'c' }],
            });
        } catch (err) {
            message = String((err as Error).message);
        }
        expect(message).toContain('person "nobody" is not defined in people');
        expect(message).toContain('target "dynamics" is not a notify target');
        expect(message).toContain('a sticky queue says its window');
        expect(message).toContain('fallback queues go round in a circle (a → b → a)');
        expect(message).toContain('queue "c" is not defined in queues');
    });

    it('refuses an unknown time zone and a malformed interval with their paths', () => {
        expect(() =>
            withAssignment({
                enabled: false,
                people: {
                    jana: { displayName: 'Jana', workingHours: { timeZone: 'Mars/Olympus', days: { mon: ['9-5'] } } },
                },
                queues: {},
                rules: [],
            }),
        ).toThrow(
            /assignment\.people\.jana\.workingHours\.timeZone: an IANA time zone[\s\S]*days\.mon\[0\]: an interval/,
        );
    });

    it('applies the defaults: links valid 72 hours, weight 1', () => {
        const config = withAssignment({
            enabled: true,
            people: { jana: { displayName: 'Jana' } },
            queues: {
                hot: { members: ['jana'], strategy: 'round-robin' },
                rest: { members: ['jana'], strategy: 'round-robin' },
            },
            rules: [{ id: 'grade-a', description: 'A leads', when: { '==': [{ var: 'grade' }, 'A'] }, queue: 'hot' }],
            defaultQueue: 'rest',
        });
        expect(config.assignment?.ackLinkHours).toBe(72);
        expect(config.assignment?.people.jana?.weight).toBe(1);
    });
});
