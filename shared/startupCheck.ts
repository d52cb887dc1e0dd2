/**
 * The configuration is checked when the app starts, before any function runs: Azure's worker and the local host both
 * run `appStart` hooks after loading the function files. A problem fails the start with one `ConfigError` listing
 * every problem (settings, `config/pipeline.json`, every enabled target's options), so a bad configuration never
 * runs; targets that are off because a Key Vault reference did not resolve are written out as warnings.
 */
import { app } from '@azure/functions';

import { targetProblems } from './adapters/createTarget';
import { readConfig } from './config';
import { ConfigError, type PipelineConfig } from './domain/index';
import { assignmentSettingNames } from './names';

export interface ConfigurationCheck {
    /** Every problem, each with its path (a setting, `pipeline.<path>` or `targets.<name>.options.<key>`). */
    problems: { path: string; message: string }[];
    /** What works but needs attention (a target off because its secret could not be read). */
    warnings: string[];
}

/** Reads the configuration (`env`: the settings, by default the process's) and lists what is wrong with it. */
export function checkConfiguration(env?: Record<string, string | undefined>): ConfigurationCheck {
    const { pipeline, targetStates: states, problems, setting } = readConfig(env);
    const all = [...problems];
    const warnings: string[] = [];
    if (pipeline !== undefined && states !== undefined) {
        for (const [name, target] of Object.entries(pipeline.targets)) {
            const state = states[name];
            if (state?.enabled === true) all.push(...targetProblems(name, target, setting));
            else if (state !== undefined && state.unresolvedSettings.length > 0) {
                warnings.push(`Target ${name} is off: ${state.reason ?? 'a setting is not resolved'}`);
            }
        }
        warnings.push(...assignmentWarnings(pipeline.assignment, setting));
    }
    return { problems: all, warnings };
}

/**
 * An SLA without a link key still runs (breaches escalate), but nobody can acknowledge from a notification; a key
 * too short to sign with is not used at all. Both are said when the app starts.
 */
function assignmentWarnings(
    assignment: PipelineConfig['assignment'],
    setting: (name: string) => string | undefined,
): string[] {
    if (assignment?.enabled !== true) return [];
    const withSla = Object.values(assignment.queues).some((q) => Object.keys(q.slaMinutes ?? {}).length > 0);
    if (!withSla) return [];
    const key = setting(assignmentSettingNames.ackKey);
    if (key === undefined)
        return [`${assignmentSettingNames.ackKey} is not set: notifications carry no acknowledgement link`];
    if (key.length < 32)
        return [
            `${assignmentSettingNames.ackKey} is shorter than 32 characters and is not used: no acknowledgement link`,
        ];
    return [];
}

let registered = false;

/** Registers the start-up check once (every function file imports the composition that calls this). */
export function registerStartupCheck(): void {
    if (registered) return;
    registered = true;
    app.hook.appStart(() => {
        const { problems, warnings } = checkConfiguration();
        // Before any invocation there is no invocation log: the worker's stderr reaches the host's log.
        for (const warning of warnings) process.stderr.write(`WARNING: ${warning}\n`);
        if (problems.length > 0) throw new ConfigError(problems);
    });
}
