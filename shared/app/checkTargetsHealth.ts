import type { AppConfig } from '../config';
import type { TargetConfig } from '../domain/index';
import type { DeliveryTarget, TargetHealth } from '../ports/DeliveryTarget';
import type { Logger } from '../ports/Logger';

export interface TargetsHealthDeps {
    config: { pipeline: { targets: Record<string, TargetConfig> } } & Pick<AppConfig, 'targetStates'>;
    target(name: string, logger: Logger): DeliveryTarget | undefined;
    now(): Date;
    logger: Logger;
}

export type TargetHealthEntry = TargetHealth & { enabled: boolean };

export interface TargetsHealthReport {
    /** Every enabled target is healthy. */
    ok: boolean;
    checkedAt: string;
    targets: TargetHealthEntry[];
}

/** One slow CRM must not hold the whole report (each adapter also has its own request timeout). */
const checkTimeoutMs = 20_000;

/**
 * Checks every enabled target's credentials without writing data, reports credential expiry where known, and lists
 * disabled targets with the reason. Each check runs at once and is given up after {@link checkTimeoutMs}.
 */
export async function checkTargetsHealth(deps: TargetsHealthDeps): Promise<TargetsHealthReport> {
    const now = deps.now();
    const entries = await Promise.all(
        Object.entries(deps.config.pipeline.targets).map(([name, config]) => check(deps, name, config, now)),
    );
    const ok = entries.every((e) => !e.enabled || e.ok);
    deps.logger.info('targets health checked', {
        ok,
        unhealthy: entries.filter((e) => e.enabled && !e.ok).map((e) => e.target),
    });
    return { ok, checkedAt: now.toISOString(), targets: entries };
}

async function check(d: TargetsHealthDeps, name: string, config: TargetConfig, now: Date): Promise<TargetHealthEntry> {
    const base = { target: name, type: config.type, checkedAt: now.toISOString() };
    const state = d.config.targetStates[name];
    if (state?.enabled !== true) {
        const reason = state?.reason ?? 'disabled in the configuration';
        return {
            ...base,
            enabled: false,
            ok: false,
            message: reason.startsWith('disabled') ? reason : `disabled: ${reason}`,
        };
    }
    try {
        const target = d.target(name, d.logger);
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
