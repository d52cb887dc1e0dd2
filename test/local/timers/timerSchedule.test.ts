import { parseTimerSchedule } from '../../../local/timers/timerSchedule';

const at = (iso: string): Date => new Date(iso);

describe('timer schedules', () => {
    test('when the expression is a 6-field NCRONTAB then the seconds field counts', () => {
        const every5min = parseTimerSchedule('0 */5 * * * *');
        expect(every5min.nextAfter(at('2026-01-01T10:02:30Z')).toISOString()).toBe('2026-01-01T10:05:00.000Z');
        expect(every5min.intervalMs()).toBe(300_000);
        expect(parseTimerSchedule('*/15 * * * * *').nextAfter(at('2026-01-01T10:00:01Z')).toISOString()).toBe(
            '2026-01-01T10:00:15.000Z',
        );
    });

    test('when day of month and day of week are both set then both must match (NCrontab semantics)', () => {
        // Friday the 13th at noon: the next one after 2026-01-01 is 2026-02-13.
        const schedule = parseTimerSchedule('0 0 12 13 * 5');
        expect(schedule.nextAfter(at('2026-01-01T00:00:00Z')).toISOString()).toBe('2026-02-13T12:00:00.000Z');
    });

    test('when the expression is a TimeSpan then it is an interval', () => {
        const schedule = parseTimerSchedule('00:00:30');
        expect(schedule.nextAfter(at('2026-01-01T00:00:00Z')).toISOString()).toBe('2026-01-01T00:00:30.000Z');
        expect(parseTimerSchedule('1.00:00:00').intervalMs()).toBe(86_400_000);
    });

    test('when the expression has 5 fields or is garbage then it is rejected', () => {
        expect(() => parseTimerSchedule('*/5 * * * *')).toThrow(/NCRONTAB/);
        expect(() => parseTimerSchedule('every minute')).toThrow(/NCRONTAB/);
    });
});

describe('timer time zones', () => {
    test('when a time zone is given (WEBSITE_TIME_ZONE) then occurrences are in that zone, else in UTC', () => {
        const nineAm = '0 0 9 * * *';
        const from = new Date('2026-07-01T00:00:00Z');
        expect(parseTimerSchedule(nineAm).nextAfter(from).toISOString()).toBe('2026-07-01T09:00:00.000Z');
        expect(parseTimerSchedule(nineAm, 'Europe/Amsterdam').nextAfter(from).toISOString()).toBe(
            '2026-07-01T07:00:00.000Z',
        );
    });
});
