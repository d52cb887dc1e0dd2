import type { AppConfig } from '../config';
import { ConfigError, type TargetConfig } from '../domain/index';
import type { DeliveryTarget, TargetHealth } from '../ports/DeliveryTarget';
import type { Logger } from '../ports/Logger';

export interface TargetsHealthDeps {
    config: { pipeline: { targets: Record<string, TargetConfig> } } & Pick<AppConfig, 'targetStates'>;
    target(name: string, logger: Logger): DeliveryTarget | undefined;
    now(): Date;
    logger: Logger;
}

/**
 * One target in the report. `state` says it plainly: `healthy` and `unhealthy` targets were checked (`ok` is the
 * check's answer); an `off` target receives no leads on purpose (disabled, or `"auto"` with its settings empty) and
 * was not checked, so it has no `ok`. A target that is off because a setting could not be resolved is `unhealthy`:
 * it was meant to be on.
 */
export type TargetHealthEntry = Omit<TargetHealth, 'ok'> & {
    enabled: boolean;
    state: 'healthy' | 'unhealthy' | 'off';
    ok?: boolean;
};

export interface TargetsHealthReport {
    /** Every target meant to be on is on and healthy; targets that are off on purpose do not count. */
    ok: boolean;
    /** One line: how many targets are on and healthy, which are not, and which are off and why. */
    summary: string;
    checkedAt: string;
    targets: TargetHealthEntry[];
}

/** One slow CRM must not hold the whole report (each adapter also has its own request timeout). */
const checkTimeoutMs = 20_000;

/**
 * Checks every enabled target's credentials without writing data, reports credential expiry where known, and lists
 * the targets that are off with the reason. Each check runs at once and is given up after {@link checkTimeoutMs}.
 */
export async function checkTargetsHealth(deps: TargetsHealthDeps): Promise<TargetsHealthReport> {
    const now = deps.now();
    const entries = await Promise.all(
        Object.entries(deps.config.pipeline.targets).map(([name, config]) => check(deps, name, config, now)),
    );
    const ok = entries.every((e) => e.state !== 'unhealthy');
    const unhealthy = entries.filter((e) => e.state === 'unhealthy').map((e) => e.target);
    deps.logger.info('targets health checked', { ok, unhealthy: unhealthy.join(',') });
    return { ok, summary: summaryOf(entries), checkedAt: now.toISOString(), targets: entries };
}

function summaryOf(entries: TargetHealthEntry[]): string {
    const healthy = entries.filter((e) => e.state === 'healthy').map((e) => e.target);
    const unhealthy = entries.filter((e) => e.state === 'unhealthy').map((e) => e.target);
    const off = entries.filter((e) => e.state === 'off').map((e) => `${e.target} (${e.message ?? 'off'})`);
    const on = `${healthy.length} of ${entries.length} targets on and healthy`;
    return [
        healthy.length > 0 ? `${on}: ${healthy.join(', ')}` : on,
        unhealthy.length > 0 ? `unhealthy: ${unhealthy.join(', ')}` : undefined,
        off.length > 0 ? `off: ${off.join(', ')}` : undefined,
    ]
        .filter((part) => part !== undefined)
        .join('; ');
}

async function check(d: TargetsHealthDeps, name: string, config: TargetConfig, now: Date): Promise<TargetHealthEntry> {
    const base = { target: name, type: config.type, checkedAt: now.toISOString() };
    const state = d.config.targetStates[name];
    if (state?.enabled !== true) {
        const reason = state?.reason ?? 'disabled in the configuration';
        const message = reason.startsWith('disabled') ? reason : `disabled: ${reason}`;
        // Off because the platform could not resolve a secret: meant to be on, so it counts as unhealthy.
        if (state !== undefined && state.unresolvedSettings.length > 0) {
            return { ...base, enabled: false, state: 'unhealthy', ok: false, message };
        }
        return { ...base, enabled: false, state: 'off', message };
    }
    const unhealthy = (message: string): TargetHealthEntry => ({
        ...base,
        enabled: true,
        state: 'unhealthy',
        ok: false,
        message,
    });
    try {
        const target = d.target(name, d.logger);
        if (target === undefined) return unhealthy('target could not be built');
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<TargetHealth>((resolve) => {
            timer = setTimeout(
                () => resolve({ ...base, ok: false, message: `no answer within ${checkTimeoutMs} ms` }),
                checkTimeoutMs,
            );
        });
        const health = await Promise.race([target.checkHealth(now), timeout]).finally(() => clearTimeout(timer));
        return { ...health, enabled: true, state: health.ok ? 'healthy' : 'unhealthy' };
    } catch (err) {
        // The same `path: message` lines the start-up check gives; they name options and settings, never values.
        if (err instanceof ConfigError) return unhealthy(err.problems.map((p) => `${p.path}: ${p.message}`).join('; '));
        return unhealthy(err instanceof Error ? err.message : 'check failed');
    }
}
