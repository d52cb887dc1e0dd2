import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import { settingReferences } from '../shared/adapters/crmKit/resolveSettings';
import { contextLogger } from '../shared/app/contextLogger';
import { getDeps } from '../shared/composition';
import type { TargetConfig } from '../shared/domain/TargetConfig';
import { functionNames } from '../shared/names';
import type { DeliveryTarget, TargetHealth } from '../shared/ports/DeliveryTarget';
import type { Logger } from '../shared/ports/Logger';

export interface TargetsHealthDeps {
    config: {
        pipeline: { targets: Record<string, TargetConfig> };
        enabledTargets: ReadonlySet<string>;
        setting(name: string): string | undefined;
    };
    target(name: string, logger: Logger): DeliveryTarget | undefined;
    now(): Date;
}

export type TargetHealthEntry = TargetHealth & { enabled: boolean };

/** One slow CRM must not hold the whole report (each adapter also has its own request timeout). */
const checkTimeoutMs = 20_000;

/**
 * GET /api/targets/health: checks every enabled target's credentials without writing data, reports credential
 * expiry where known, and lists disabled targets with the reason. 200 when every enabled target is healthy, else 503.
 */
export function createTargetsHealth(deps: () => TargetsHealthDeps) {
    return async (_request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
        const d = deps();
        const now = d.now();
        const logger = contextLogger(context);
        const entries = await Promise.all(
            Object.entries(d.config.pipeline.targets).map(([name, config]) => check(d, name, config, now, logger)),
        );
        const ok = entries.every((e) => !e.enabled || e.ok);
        logger.info('targets health checked', {
            ok,
            unhealthy: entries.filter((e) => e.enabled && !e.ok).map((e) => e.target),
        });
        return { status: ok ? 200 : 503, jsonBody: { ok, checkedAt: now.toISOString(), targets: entries } };
    };
}

async function check(
    d: TargetsHealthDeps,
    name: string,
    config: TargetConfig,
    now: Date,
    logger: Logger,
): Promise<TargetHealthEntry> {
    const base = { target: name, type: config.type, checkedAt: now.toISOString() };
    if (!d.config.enabledTargets.has(name)) {
        const unset = settingReferences(config.options).filter((n) => d.config.setting(n) === undefined);
        const message =
            config.enabled === 'auto' && unset.length > 0
                ? `disabled: settings not set: ${unset.join(', ')}`
                : 'disabled in the configuration';
        return { ...base, enabled: false, ok: false, message };
    }
    try {
        const target = d.target(name, logger);
        if (target === undefined) return { ...base, enabled: true, ok: false, message: 'target could not be built' };
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<TargetHealth>((resolve) => {
            timer = setTimeout(
                () => resolve({ ...base, ok: false, message: `no answer within ${checkTimeoutMs} ms` }),
                checkTimeoutMs,
            );
        });
        const health = await Promise.race([target.checkHealth(now), timeout]).finally(() => clearTimeout(timer));
        return { ...health, enabled: true };
    } catch (err) {
        // ConfigError and adapter errors name options, settings and codes, never values.
        return { ...base, enabled: true, ok: false, message: err instanceof Error ? err.message : 'check failed' };
    }
}

export const targetsHealth = createTargetsHealth(getDeps);

app.http(functionNames.targetsHealth, {
    methods: ['GET'],
    authLevel: 'function',
    route: 'targets/health',
    handler: targetsHealth,
});
