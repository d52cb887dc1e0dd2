import type { RateBudget } from '../../ports/RateGovernor';
import type { TargetDeps } from '../../ports/TargetFactory';
import { governedCall } from './governedCall';
import { httpCall, type HttpRequest, type HttpResponse } from './httpCall';
import { parseRetryAfter } from './parseRetryAfter';

/** One target's HTTP channel: every API call is counted against its shared budget and bounded by its timeout. */
export class TargetHttp {
    constructor(
        private readonly deps: Pick<TargetDeps, 'fetch' | 'rateGovernor' | 'now'>,
        readonly target: string,
        private readonly budget: RateBudget,
        private readonly timeoutMs: number,
        /** Longer windows the vendor enforces too (longest first); a call takes a unit of each. */
        private readonly windows: readonly RateBudget[] = [],
    ) {}

    /**
     * An API call that counts against the budget. A 429 or 503 with `Retry-After` pauses the target's budget for
     * that long, so parallel deliveries back off together instead of each collecting its own 429.
     */
    async send(request: HttpRequest): Promise<HttpResponse> {
        // The longest window first: when it is spent, no unit of a shorter one is taken for nothing.
        const call = this.windows.reduceRight<() => Promise<HttpResponse>>(
            (inner, window) => () =>
                governedCall(this.deps.rateGovernor, `${this.target}@${window.perSeconds}s`, window, inner),
            () =>
                governedCall(this.deps.rateGovernor, this.target, this.budget, () =>
                    httpCall(this.deps.fetch, request, this.timeoutMs),
                ),
        );
        const response = await call();
        if (response.status === 429 || response.status === 503) {
            const waitMs = parseRetryAfter(response.headers.get('retry-after'), this.deps.now());
            if (waitMs !== undefined && waitMs > 0) await this.pause(waitMs);
        }
        return response;
    }

    /** Tells the shared governor the CRM asked us to wait (also for throttling signalled inside a 200 body). */
    async pause(forMs: number): Promise<void> {
        await this.deps.rateGovernor.pause?.(this.target, forMs);
    }

    /** A call outside the budget (token endpoints, which the CRMs do not count). */
    sendUngoverned(request: HttpRequest): Promise<HttpResponse> {
        return httpCall(this.deps.fetch, request, this.timeoutMs);
    }
}
