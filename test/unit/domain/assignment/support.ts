import { type AssignmentConfig, assignmentConfigSchema } from '../../../../shared/domain';

/** A weekday 09:00-17:00 schedule in `timeZone`. */
export const officeHours = (timeZone: string) => ({
    timeZone,
    days: {
        mon: ['09:00-17:00'],
        tue: ['09:00-17:00'],
        wed: ['09:00-17:00'],
        thu: ['09:00-17:00'],
        fri: ['09:00-17:00'],
    },
});

/** An assignment section through the real schema (defaults applied), with `queues` given. */
export function assignmentConfig(partial: Partial<Record<keyof AssignmentConfig, unknown>>): AssignmentConfig {
    return assignmentConfigSchema.parse({
        enabled: true,
        people: {
            jana: { displayName: 'Jana', targetIds: { salesforce: '005000000000001AAA' } },
            mehmet: { displayName: 'Mehmet' },
            ana: { displayName: 'Ana' },
        },
        queues: { emea: { description: 'EMEA sales', members: ['jana', 'mehmet', 'ana'], strategy: 'round-robin' } },
        rules: [],
        defaultQueue: 'emea',
        ...partial,
    });
}
