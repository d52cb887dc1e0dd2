import type { RateBudget } from '../../ports/RateGovernor';
import type { TargetDeps } from '../../ports/TargetFactory';
import { governedCall } from './governedCall';
import { httpCall, type HttpRequest, type HttpResponse } from './httpCall';

/** One target's HTTP channel: every API call is counted against its shared budget and bounded by its timeout. */
export class TargetHttp {
    constructor(
        private readonly deps: Pick<TargetDeps, 'fetch' | 'rateGovernor'>,
        readonly target: string,
        private readonly budget: RateBudget,
        private readonly timeoutMs: number,
    ) {}

    /** An API call that counts against the budget. */
    send(request: HttpRequest): Promise<HttpResponse> {
        return governedCall(this.deps.rateGovernor, this.target, this.budget, () =>
            httpCall(this.deps.fetch, request, this.timeoutMs),
        );
    }

    /** A call outside the budget (token endpoints, which the CRMs do not count). */
    sendUngoverned(request: HttpRequest): Promise<HttpResponse> {
        return httpCall(this.deps.fetch, request, this.timeoutMs);
    }
}
