import {
    emailHashOf,
    emailKeyOf,
    emptyCounts,
    type ErasureQuery,
    type ErasureReport,
    normaliseForMatch,
    type PipelineConfig,
    type TargetErasurePolicy,
} from '../../domain/index';
import { durableNames, instanceIds } from '../../names';
import type { ErasureLog } from '../../ports/ErasureLog';
import type { Logger } from '../../ports/Logger';
import type { OrchestrationStarter } from '../../ports/OrchestrationStarter';
import type { DeliveryPolicy } from '../pipelineTypes';
import type { PersonRequest } from './erasureRequest';
import type { ErasureInput } from './erasureTypes';

export interface RequestErasureDeps {
    log: ErasureLog;
    starter: OrchestrationStarter;
    logger: Logger;
    now(): Date;
    /** 8 hex characters. */
    randomId(): string;
    targets: TargetErasurePolicy;
    retry: DeliveryPolicy;
    graceSeconds: number;
}

/** `20261201T101500Z`: the second, in UTC, in a form that sorts and fits a key. */
export const compactStamp = (at: Date): string =>
    at
        .toISOString()
        .replace(/[-:]/gu, '')
        .replace(/\.\d{3}/u, '');

/** `er-20261201T101500Z-ab12cd34`: sorts by time, says when it was asked, names nobody. */
export function erasureIdAt(at: Date, random: string): string {
    return `er-${compactStamp(at)}-${random}`;
}

/**
 * Seconds to wait after a lead's runs have ended before sweeping it once more: twice the longest call any target
 * may make, plus a margin. Terminating a run does not stop an activity that is already calling a target; when that
 * call returns, its activity writes its row, and the sweep erases it (and the record it made).
 */
export function erasureGraceSeconds(pipeline: PipelineConfig): number {
    let longest = pipeline.delivery.timeoutSeconds;
    for (const target of Object.values(pipeline.targets)) {
        const { timeoutSeconds, timeoutMs } = target.options;
        if (typeof timeoutSeconds === 'number') longest = Math.max(longest, timeoutSeconds);
        if (typeof timeoutMs === 'number') longest = Math.max(longest, timeoutMs / 1000);
    }
    return Math.ceil(longest * 2 + 10);
}

/**
 * Records the request (the email only as its lookup key and keyed hash) and starts the erasure. Every request is its
 * own erasure with its own audit entry; asking twice is harmless: the second finds the tombstones the first left.
 */
export async function requestErasure(deps: RequestErasureDeps, request: PersonRequest): Promise<ErasureReport> {
    const at = deps.now();
    const erasureId = erasureIdAt(at, deps.randomId());
    const query: ErasureQuery = {
        leadIds: [...new Set(request.leadIds ?? [])],
        marketplaceTable: request.marketplaceTable === true,
    };
    if (request.email !== undefined) {
        query.emailKey = emailKeyOf(request.email);
        query.emailHash = emailHashOf(request.email, await deps.log.hashKey());
    }
    if (request.offer !== undefined) query.offer = normaliseForMatch(request.offer);
    const report: ErasureReport = {
        erasureId,
        status: 'running',
        stage: 'finding',
        requestedAt: at.toISOString(),
        scope: {
            email: query.emailKey !== undefined,
            offer: query.offer !== undefined,
            leadIds: query.leadIds.length,
            marketplaceTable: query.marketplaceTable,
        },
        leadIds: [],
        counts: emptyCounts(),
        targets: [],
        marketplaceTable: { status: 'not-requested', rows: 0 },
    };
    await deps.log.begin(report, query);
    const input: ErasureInput = {
        erasureId,
        requestedAt: report.requestedAt,
        scope: report.scope,
        targets: deps.targets,
        retry: deps.retry,
        graceSeconds: deps.graceSeconds,
    };
    try {
        await deps.starter.start(durableNames.erasurePipeline, instanceIds.erasure(erasureId), input);
    } catch (err) {
        await deps.log.forget(erasureId).catch(() => undefined);
        throw err;
    }
    deps.logger.info('Erasure requested', { erasureId, ...report.scope });
    return report;
}
