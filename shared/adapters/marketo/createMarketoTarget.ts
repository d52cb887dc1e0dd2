import type { TargetDeps, TargetFactory } from '../../ports/TargetFactory';
import { resolveSettings } from '../../settingReferences';
import { parseExpiryOption } from '../crmKit/credentialHealth';
import { mappingProblems } from '../crmKit/fieldMapping';
import { defaultTimeoutMs } from '../crmKit/httpCall';
import { OptionsReader } from '../crmKit/OptionsReader';
import { TargetHttp } from '../crmKit/TargetHttp';
import { budgetFor } from '../rateGovernor/defaultBudgets';
import { MarketoTarget } from './MarketoTarget';

/**
 * Options: `baseUrl` (the REST endpoint without `/rest`, e.g. `https://123-ABC-456.mktorest.com`), `clientId`,
 * `clientSecret` (a LaunchPoint custom service of an API-only user); optional `lookupField` (default `email`),
 * `partitionName`, `timeoutSeconds` (or `timeoutMs`), `credentialExpiresAt`.
 */
export const createMarketoTarget: TargetFactory = (name, config, deps: TargetDeps) => {
    const { options, missing } = resolveSettings(config.options, (n) => deps.setting(n));
    const read = new OptionsReader(options, `targets.${name}.options`, missing);
    const baseUrl = read.url('baseUrl');
    const clientId = read.string('clientId');
    const clientSecret = read.string('clientSecret');
    const lookupField = read.string('lookupField', { optional: true }) ?? 'email';
    const partitionName = read.string('partitionName', { optional: true });
    const timeoutMs = read.timeout(deps.timeoutMs ?? defaultTimeoutMs);
    const credentialExpiresAt = parseExpiryOption(read.string('credentialExpiresAt', { optional: true }));
    read.done(mappingProblems(config.mapping, `targets.${name}.mapping`));

    return new MarketoTarget(
        name,
        config.role,
        {
            baseUrl: baseUrl.replace(/\/rest$/, ''),
            clientId,
            clientSecret,
            lookupField,
            partitionName,
            mapping: config.mapping,
            credentialExpiresAt,
        },
        new TargetHttp(deps, name, budgetFor(config), timeoutMs),
        deps.logger,
        () => deps.now(),
    );
};
