import type { HostLogger } from '../contracts';

/**
 * Counts requests whose client went away before its body was complete. A client that gives up is not the host's
 * error and can happen by the hundred (a load test, a flaky network), so instead of an ERROR line each the host
 * logs one warning with the count per window, and whatever is left when it stops.
 */
export class AbortedRequestCounter {
    private count = 0;
    private timer: NodeJS.Timeout | undefined;

    constructor(
        private readonly logger: HostLogger,
        private readonly windowMs = 60_000,
    ) {}

    note(): void {
        this.count++;
        if (this.timer) return;
        this.timer = setTimeout(() => this.flush(), this.windowMs);
        this.timer.unref();
    }

    /** Logs the count so far, if any, and starts a new window. */
    flush(): void {
        clearTimeout(this.timer);
        this.timer = undefined;
        if (this.count === 0) return;
        this.logger.warn(`${this.count} request(s) aborted by the client before the body was complete`, {
            count: this.count,
        });
        this.count = 0;
    }
}
