import { Cron } from 'croner';

export interface TimerSchedule {
    /** The first occurrence strictly after `after`. */
    nextAfter(after: Date): Date;
    /** The gap between two consecutive occurrences from now (to decide whether the schedule monitor is on). */
    intervalMs(): number;
}

const TIMESPAN = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})$/;

/**
 * A timer trigger schedule as the Functions host reads it: a 6-field NCRONTAB expression (seconds first; day of month
 * and day of week both must match, as in NCrontab) or a TimeSpan (`hh:mm:ss`, `d.hh:mm:ss`), an interval counted from
 * the previous run. Parsed by croner, which handles the seconds field and NCRONTAB's ranges, steps and names.
 * Occurrences are in `timezone` (IANA name; Azure's default is UTC).
 */
export function parseTimerSchedule(expression: string, timezone = 'Etc/UTC'): TimerSchedule {
    const span = TIMESPAN.exec(expression.trim());
    if (span) {
        const [, days = '0', hours = '0', minutes = '0', seconds = '0'] = span;
        const ms = ((Number(days) * 24 + Number(hours)) * 60 * 60 + Number(minutes) * 60 + Number(seconds)) * 1000;
        if (ms <= 0) throw new Error(`Timer schedule '${expression}' is a zero interval`);
        return { nextAfter: (after) => new Date(after.getTime() + ms), intervalMs: () => ms };
    }
    let cron: Cron;
    try {
        cron = new Cron(expression.trim(), { mode: '6-part', legacyMode: false, paused: true, timezone });
    } catch (err) {
        throw new Error(
            `Timer schedule '${expression}' is not a 6-field NCRONTAB expression or a TimeSpan: ${(err as Error).message}`,
        );
    }
    const nextAfter = (after: Date): Date => {
        const next = cron.nextRun(after);
        if (!next) throw new Error(`Timer schedule '${expression}' has no future occurrence`);
        return next;
    };
    return {
        nextAfter,
        intervalMs: () => {
            const first = nextAfter(new Date());
            return nextAfter(first).getTime() - first.getTime();
        },
    };
}
