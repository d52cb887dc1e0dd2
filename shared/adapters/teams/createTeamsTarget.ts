import type { TargetDeps, TargetFactory } from '../../ports/TargetFactory';
import { resolveSettings } from '../../settingReferences';
import { defaultTimeoutMs } from '../crmKit/httpCall';
import { OptionsReader } from '../crmKit/OptionsReader';
import { TargetHttp } from '../crmKit/TargetHttp';
import { budgetFor } from '../rateGovernor/defaultBudgets';
import { TeamsTarget } from './TeamsTarget';

/**
 * Options: `webhookUrl` (`%SETTING%`: the URL holds its own signature), optional `includeContact`, `timeoutSeconds`
 * (or `timeoutMs`).
 */
export const createTeamsTarget: TargetFactory = (name, config, deps: TargetDeps) => {
    const { options, missing } = resolveSettings(config.options, (n) => deps.setting(n));
    const read = new OptionsReader(options, `targets.${name}.options`, missing);
    const webhookUrl = read.url('webhookUrl');
    const includeContact = read.boolean('includeContact', false);
    const timeoutMs = read.timeout(deps.timeoutMs ?? defaultTimeoutMs);
    read.done();
    return new TeamsTarget(
        name,
        config.role,
        { webhookUrl, includeContact },
        new TargetHttp(deps, name, budgetFor(config), timeoutMs),
        deps.logger,
        () => deps.now(),
    );
};
