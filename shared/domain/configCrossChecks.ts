/**
 * Checks of `config/pipeline.json` that need the whole document: unique rule ids per section, routes naming defined
 * targets, and no literal secrets in target options. They read the raw input defensively, so they run (and report)
 * even when the schema found other problems.
 */
import { erasableTargetTypes } from './privacy/privacyPolicy';

export interface ConfigProblem {
    path: string;
    message: string;
}

const secretLike = /secret|token|password|apikey|api_key|connectionstring/i;

/** `privacy.eraseInTargets` names defined targets of a type that can delete records (not notifications). */
function checkErasureTargets(list: unknown, targets: unknown, problems: ConfigProblem[]): void {
    if (!Array.isArray(list)) return;
    const defined = typeof targets === 'object' && targets !== null ? (targets as Record<string, unknown>) : {};
    list.forEach((name: unknown, i) => {
        if (typeof name !== 'string') return;
        const path = `privacy.eraseInTargets[${i}]`;
        const type = (defined[name] as { type?: unknown } | undefined)?.type;
        if (type === undefined) problems.push({ path, message: `target "${name}" is not defined in targets` });
        else if (typeof type === 'string' && !erasableTargetTypes.has(type)) {
            problems.push({ path, message: `a ${type} target cannot delete what it received` });
        }
    });
}

export function crossChecks(json: unknown, problems: ConfigProblem[]): void {
    const root = json as Record<string, unknown> | null;
    if (typeof root !== 'object' || root === null) return;
    const targets = root.targets;
    const targetNames = new Set(typeof targets === 'object' && targets !== null ? Object.keys(targets) : []);
    const section = (name: string): Record<string, unknown> | undefined => {
        const s = root[name];
        return typeof s === 'object' && s !== null ? (s as Record<string, unknown>) : undefined;
    };
    for (const name of ['qualification', 'scoring', 'routing']) {
        const rules = section(name)?.rules;
        if (!Array.isArray(rules)) continue;
        const seen = new Set<string>();
        rules.forEach((r: unknown, i) => {
            const id = (r as { id?: unknown } | null)?.id;
            if (typeof id !== 'string') return;
            if (seen.has(id)) problems.push({ path: `${name}.rules[${i}].id`, message: `duplicate rule id "${id}"` });
            seen.add(id);
        });
    }
    const routing = section('routing');
    const checkTargets = (list: unknown, path: string): void => {
        if (!Array.isArray(list)) return;
        list.forEach((t: unknown, i) => {
            if (typeof t === 'string' && !targetNames.has(t)) {
                problems.push({ path: `${path}[${i}]`, message: `target "${t}" is not defined in targets` });
            }
        });
    };
    if (Array.isArray(routing?.rules)) {
        routing.rules.forEach((r: unknown, i) =>
            checkTargets((r as { targets?: unknown } | null)?.targets, `routing.rules[${i}].targets`),
        );
    }
    checkTargets((routing?.default as { targets?: unknown } | undefined)?.targets, 'routing.default.targets');
    checkErasureTargets(section('privacy')?.eraseInTargets, targets, problems);
    if (typeof targets === 'object' && targets !== null) {
        for (const [name, t] of Object.entries(targets as Record<string, unknown>)) {
            const options = (t as { options?: unknown } | null)?.options;
            if (typeof options !== 'object' || options === null) continue;
            for (const [key, value] of Object.entries(options as Record<string, unknown>)) {
                if (secretLike.test(key) && !(typeof value === 'string' && /^%[A-Za-z0-9_]+%$/.test(value))) {
                    problems.push({
                        path: `targets.${name}.options.${key}`,
                        message: 'secrets are never written in the config: reference a setting as "%SETTING_NAME%"',
                    });
                }
            }
        }
    }
}
