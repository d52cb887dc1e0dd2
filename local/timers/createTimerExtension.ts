import type { HostContext, HostExtension, Registration } from '../contracts';
import { invokeWithRetry } from '../host/invokeWithRetry';
import { parseTimerSchedule, type TimerSchedule } from './timerSchedule';
import { createTimerStateStore, type TimerStateStore, type TimerStatus } from './timerStateStore';

/** `ScheduleStatus.Last` before the first recorded run (.NET's `DateTime.MinValue`, as the real host reports it). */
const NEVER = '0001-01-01T00:00:00.000Z';
/** setTimeout's ceiling; longer waits are chained. */
const MAX_DELAY = 2_147_483_647;

interface TimerJob {
    registration: Registration;
    schedule: TimerSchedule;
    monitor: boolean;
    status: TimerStatus | undefined;
    timeout: NodeJS.Timeout | undefined;
    running: Promise<void> | undefined;
}

/**
 * Timer triggers: NCRONTAB/TimeSpan schedules, `runOnStartup`, and the schedule monitor (`useMonitor`, on by default
 * for schedules of a minute or more) that persists last/next so a restart after a missed occurrence runs once with
 * `isPastDue: true`. A run never overlaps the previous run of the same function; a failed run is retried when the
 * function has a retry policy.
 */
export function createTimerExtension(): HostExtension {
    const registrations: Registration[] = [];
    const jobs: TimerJob[] = [];
    let host: HostContext | undefined;
    let store: TimerStateStore | undefined;
    let stopped = false;

    const arm = (job: TimerJob, at: Date): void => {
        if (stopped) return;
        const delay = at.getTime() - Date.now();
        job.timeout = setTimeout(
            () => {
                if (delay > MAX_DELAY) arm(job, at);
                else void run(job, at, false);
            },
            Math.min(Math.max(delay, 0), MAX_DELAY),
        );
    };

    const run = async (job: TimerJob, occurrence: Date, isPastDue: boolean): Promise<void> => {
        if (stopped || !host) return;
        if (job.running) return;
        const next = job.schedule.nextAfter(new Date(Math.max(Date.now(), occurrence.getTime())));
        const timer = {
            isPastDue,
            schedule: { adjustForDST: true },
            scheduleStatus: {
                last: job.status?.last ?? NEVER,
                next: next.toISOString(),
                lastUpdated: new Date().toISOString(),
            },
        };
        const context = host;
        job.running = (async () => {
            try {
                await invokeWithRetry(context, job.registration, timer, {}, () => stopped);
            } catch {
                // The failure is in the invocation log line; a failed run does not stop the schedule.
            }
            job.status = {
                last: occurrence.toISOString(),
                next: next.toISOString(),
                lastUpdated: new Date().toISOString(),
            };
            if (job.monitor && store) {
                await store.set(job.registration.name, job.status).catch((err: unknown) =>
                    context.logger.warn(`Timer '${job.registration.name}': schedule status not saved`, {
                        error: String(err),
                    }),
                );
            }
        })();
        await job.running;
        job.running = undefined;
        arm(job, job.schedule.nextAfter(new Date(Math.max(Date.now(), occurrence.getTime()))));
    };

    return {
        name: 'timer',
        claims: (registration) => registration.trigger.type.toLowerCase() === 'timertrigger',
        register: (registration) => {
            registrations.push(registration);
        },
        start: async (context) => {
            host = context;
            stopped = false;
            for (const registration of registrations) {
                const schedule = parseTimerSchedule(
                    typeof registration.trigger.schedule === 'string' ? registration.trigger.schedule : '',
                    context.setting('WEBSITE_TIME_ZONE') || 'Etc/UTC',
                );
                const useMonitor = registration.trigger.useMonitor;
                const monitor = typeof useMonitor === 'boolean' ? useMonitor : schedule.intervalMs() >= 60_000;
                jobs.push({
                    registration,
                    schedule,
                    monitor,
                    status: undefined,
                    timeout: undefined,
                    running: undefined,
                });
            }
            if (jobs.some((j) => j.monitor)) store = await createTimerStateStore(context.storageConnectionString);
            for (const job of jobs) {
                if (job.monitor && store) job.status = await store.get(job.registration.name);
                const now = new Date();
                const missed = job.status !== undefined && Date.parse(job.status.next) < now.getTime();
                if (missed)
                    context.logger.info(`Timer '${job.registration.name}' missed ${job.status?.next}: running now`);
                if (missed || job.registration.trigger.runOnStartup === true) void run(job, now, missed);
                else arm(job, job.schedule.nextAfter(now));
            }
        },
        describe: (registration) => {
            const job = jobs.find((j) => j.registration === registration);
            const next = job ? ` (next ${job.schedule.nextAfter(new Date()).toISOString()})` : '';
            return `${registration.name}: timerTrigger '${String(registration.trigger.schedule)}'${next}`;
        },
        stop: async () => {
            stopped = true;
            for (const job of jobs) clearTimeout(job.timeout);
            await Promise.all(jobs.flatMap((j) => (j.running ? [j.running] : [])));
        },
    };
}
