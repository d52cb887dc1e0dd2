/**
 * Working hours in a person's own time zone, with daylight-saving changes as the IANA database has them (through
 * `Intl.DateTimeFormat`, no hand-kept offsets). Pure: every instant is a parameter.
 */

export const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof weekdays)[number];

/** `timeZone`: an IANA name (`Europe/Prague`); `days`: per weekday, local intervals `HH:MM-HH:MM` (a day absent is off). */
export interface WorkingHours {
    timeZone: string;
    days: Partial<Record<Weekday, string[]>>;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
    let f = formatters.get(timeZone);
    if (f === undefined) {
        f = new Intl.DateTimeFormat('en-US', {
            timeZone,
            hourCycle: 'h23',
            year: 'numeric',
            month: '2-digit',
            day: '2-digit',
            hour: '2-digit',
            minute: '2-digit',
            second: '2-digit',
            weekday: 'short',
        });
        formatters.set(timeZone, f);
    }
    return f;
}

/** Whether `timeZone` is a zone this runtime knows (the config check uses it). */
export function isKnownTimeZone(timeZone: string): boolean {
    try {
        formatter(timeZone);
        return true;
    } catch {
        return false;
    }
}

export interface LocalTime {
    /** `YYYY-MM-DD` in the zone. */
    date: string;
    weekday: Weekday;
    /** Minutes since local midnight. */
    minute: number;
    year: number;
    month: number;
    day: number;
}

export function localTime(instant: number, timeZone: string): LocalTime {
    const parts: Record<string, string> = {};
    for (const p of formatter(timeZone).formatToParts(new Date(instant))) parts[p.type] = p.value;
    const year = Number(parts.year);
    const month = Number(parts.month);
    const day = Number(parts.day);
    return {
        date: `${parts.year}-${parts.month}-${parts.day}`,
        weekday: parts.weekday!.toLowerCase().slice(0, 3) as Weekday,
        minute: Number(parts.hour) * 60 + Number(parts.minute),
        year,
        month,
        day,
    };
}

/** The zone's offset from UTC at `instant`, in ms (local wall time minus UTC). */
function offsetAt(instant: number, timeZone: string): number {
    const parts: Record<string, string> = {};
    for (const p of formatter(timeZone).formatToParts(new Date(instant))) parts[p.type] = p.value;
    const asUtc = Date.UTC(
        Number(parts.year),
        Number(parts.month) - 1,
        Number(parts.day),
        Number(parts.hour),
        Number(parts.minute),
        Number(parts.second),
    );
    return asUtc - (instant - (((instant % 1000) + 1000) % 1000));
}

/**
 * The instant of a local wall time. A time that does not exist (the hour skipped when clocks go forward) is the
 * same distance past the change; a time that exists twice (the hour repeated when clocks go back) is the first.
 */
export function instantOf(year: number, month: number, day: number, minute: number, timeZone: string): number {
    const wall = Date.UTC(year, month - 1, day, 0, minute);
    // A zone changes its offset at most once within a day either side: these are every offset the wall time can have.
    const before = offsetAt(wall - DAY_MS, timeZone);
    const offsets = new Set([before, offsetAt(wall, timeZone), offsetAt(wall + DAY_MS, timeZone)]);
    const readsBack = [...offsets].map((o) => wall - o).filter((t) => t + offsetAt(t, timeZone) === wall);
    if (readsBack.length > 0) return Math.min(...readsBack);
    // Skipped by a change forward: counted with the offset before it, so it lands as far past the change.
    return wall - before;
}

const DAY_MS = 24 * 60 * 60 * 1000;

const INTERVAL = /^([01]\d|2[0-4]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$/;

/** `09:00-17:30` → minutes since midnight `[540, 1050]`; undefined when malformed or empty. */
export function parseInterval(text: string): [number, number] | undefined {
    const m = INTERVAL.exec(text);
    if (m === null) return undefined;
    const start = Number(m[1]) * 60 + Number(m[2]);
    const end = Number(m[3]) * 60 + Number(m[4]);
    if (start >= end || end > 24 * 60) return undefined;
    return [start, end];
}

/** The working intervals of one local date, as UTC instants, in order. */
function intervalsOn(hours: WorkingHours, year: number, month: number, day: number): [number, number][] {
    const weekday = weekdays[(new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7]!;
    return (hours.days[weekday] ?? [])
        .flatMap((text) => {
            const i = parseInterval(text);
            return i === undefined
                ? []
                : [
                      [
                          instantOf(year, month, day, i[0], hours.timeZone),
                          instantOf(year, month, day, i[1], hours.timeZone),
                      ] as [number, number],
                  ];
        })
        .sort((a, b) => a[0] - b[0]);
}

/** Whether `instant` falls inside the person's working hours. */
export function isWorking(hours: WorkingHours, instant: number): boolean {
    const t = localTime(instant, hours.timeZone);
    return intervalsOn(hours, t.year, t.month, t.day).some(([s, e]) => instant >= s && instant < e);
}

/** A whole week with no working interval: the SLA clock would never run. */
export function hasWorkingTime(hours: WorkingHours): boolean {
    return weekdays.some((d) => (hours.days[d] ?? []).some((i) => parseInterval(i) !== undefined));
}

/**
 * The instant at which `minutes` of working time have passed since `from`, counting only the person's working
 * hours (a lead arriving on Friday evening with a 4-hour SLA is due on Monday at 13:00 their time). Looks at most a
 * year ahead; a schedule without working time answers undefined.
 */
export function addWorkingMinutes(hours: WorkingHours, from: number, minutes: number): number | undefined {
    if (!hasWorkingTime(hours)) return undefined;
    let left = minutes * 60_000;
    const start = localTime(from, hours.timeZone);
    for (let d = 0; d < 370; d++) {
        const date = new Date(Date.UTC(start.year, start.month - 1, start.day + d));
        for (const [s, e] of intervalsOn(hours, date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate())) {
            const begin = Math.max(s, from);
            if (begin >= e) continue;
            if (e - begin >= left) return begin + left;
            left -= e - begin;
        }
    }
    return undefined;
}
