import type { TargetConfig } from '../../domain/index';
import type { RecordEraser } from '../../ports/RecordEraser';
import type { TargetDeps } from '../../ports/TargetFactory';
import { resolveSettings } from '../../settingReferences';
import { defaultTimeoutMs } from '../crmKit/httpCall';
import { OptionsReader } from '../crmKit/OptionsReader';
import { TargetHttp } from '../crmKit/TargetHttp';
import { sharedTokenCache, type Token } from '../crmKit/TokenCache';
import { eraseEach } from '../erasure/recordOutcome';
import { budgetFor } from '../rateGovernor/defaultBudgets';
import { createDataverseCredential, dataverseToken } from './dataverseCredential';
import { dataverseError } from './dataverseErrors';
import { dataverseApiPath } from './dynamicsDefaults';
import { readDataverseSignIn } from './readDataverseSignIn';

/** `leadid` is a GUID. */
const LEAD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/iu;

/**
 * Deletes the `lead` rows the pipeline wrote, by id: `DELETE <env>/api/data/v9.2/leads(<id>)`, 204 when deleted,
 * 404 when the row does not exist (learn.microsoft.com, Dataverse Web API "Update and delete table rows", Basic
 * delete). Dataverse deletes a row's notes with it (annotation is a parental relationship of its regarding row). The
 * identity needs the Delete privilege on Lead. The same options as the delivery target; the token cache is shared.
 */
export function createDynamicsEraser(name: string, config: TargetConfig, deps: TargetDeps): RecordEraser {
    const { options, missing } = resolveSettings(config.options, (n) => deps.setting(n));
    const read = new OptionsReader(options, `targets.${name}.options`, missing);
    const signIn = readDataverseSignIn(read);
    const { environmentUrl } = signIn;
    const timeoutMs = read.timeout(deps.timeoutMs ?? defaultTimeoutMs);
    read.done();

    const http = new TargetHttp(deps, name, budgetFor(config), timeoutMs);
    const tokens = sharedTokenCache<Token>(
        ['dynamics365', name, environmentUrl, signIn.credentialKey],
        () => dataverseToken(createDataverseCredential(signIn, deps.fetch, timeoutMs), environmentUrl, name),
        () => deps.now(),
    );
    return {
        target: name,
        type: 'dynamics365',
        erase: (recordIds) =>
            eraseEach(recordIds, LEAD_ID, name, async (leadId) => {
                for (let attempt = 1; ; attempt++) {
                    const token = await tokens.get();
                    const response = await http.send({
                        method: 'DELETE',
                        url: `${environmentUrl}${dataverseApiPath}/leads(${leadId})`,
                        headers: {
                            authorization: `Bearer ${token.accessToken}`,
                            'odata-version': '4.0',
                            'odata-maxversion': '4.0',
                            accept: 'application/json',
                        },
                    });
                    if (response.status === 204) return 'erased';
                    if (response.status === 404) return 'absent';
                    // A token revoked since it was cached: one fresh token, then the 401 is the answer.
                    if (response.status === 401 && attempt === 1) {
                        tokens.invalidate(token);
                        continue;
                    }
                    throw dataverseError(name, response, deps.now());
                }
            }),
    };
}
