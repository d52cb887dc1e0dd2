import type { TargetDeps, TargetFactory } from '../../ports/TargetFactory';
import { resolveSettings } from '../../settingReferences';
import { defaultTimeoutMs } from '../crmKit/httpCall';
import { OptionsReader } from '../crmKit/OptionsReader';
import { TargetHttp } from '../crmKit/TargetHttp';
import { budgetFor, extraWindows } from '../rateGovernor/defaultBudgets';
import { TeamsTarget } from './TeamsTarget';
import { workflowsUrlProblem } from './workflowsUrl';

/**
 * Options: `webhookUrl` (`%SETTING%`: a Teams Workflows webhook URL, which holds its own signature), optional
 * `includeContact`, `recordLinks` (target name → a URL with `{id}` for the record that target wrote),
 * `timeoutSeconds` (or `timeoutMs`).
 */
export const createTeamsTarget: TargetFactory = (name, config, deps: TargetDeps) => {
    const { options, missing } = resolveSettings(config.options, (n) => deps.setting(n));
    const read = new OptionsReader(options, `targets.${name}.options`, missing);
    const webhookUrl = read.url('webhookUrl');
    const problem = webhookUrl === undefined ? undefined : workflowsUrlProblem(webhookUrl);
    if (problem !== undefined) read.add('webhookUrl', problem);
    const includeContact = read.boolean('includeContact', false);
    const recordLinks = read.valueMap('recordLinks');
    for (const [target, template] of Object.entries(recordLinks ?? {})) {
        if (!/^https:\/\/[^\s]*\{id\}/u.test(String(template)))
            read.add(`recordLinks.${target}`, 'must be an https URL with {id} where the record id goes');
    }
    const timeoutMs = read.timeout(deps.timeoutMs ?? defaultTimeoutMs);
    read.done();
    return new TeamsTarget(
        name,
        config.role,
        {
            webhookUrl,
            includeContact,
            recordLinks: Object.fromEntries(Object.entries(recordLinks ?? {}).map(([k, v]) => [k, String(v)])),
        },
        new TargetHttp(deps, name, budgetFor(config), timeoutMs, extraWindows.teams),
        deps.logger,
        () => deps.now(),
    );
};
