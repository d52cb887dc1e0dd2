import { ConfigError, type TargetConfig } from '../../domain/index';
import type { RecordEraser } from '../../ports/RecordEraser';
import type { TargetDeps } from '../../ports/TargetFactory';
import { resolveSettings } from '../../settingReferences';
import { defaultTimeoutMs } from '../crmKit/httpCall';
import { OptionsReader } from '../crmKit/OptionsReader';
import { TargetHttp } from '../crmKit/TargetHttp';
import { sharedTokenCache } from '../crmKit/TokenCache';
import { eraseEach } from '../erasure/recordOutcome';
import { budgetFor } from '../rateGovernor/defaultBudgets';
import { readSalesforceAuth } from './readSalesforceAuth';
import { requestSalesforceToken, type SalesforceToken } from './salesforceAuth';
import { defaultApiVersion } from './salesforceDefaults';
import { salesforceError, salesforceErrorCode } from './salesforceErrors';

/** Salesforce record ids are 15 or 18 case-sensitive letters and digits; a Lead's start with `00Q`. */
const LEAD_ID = /^00Q[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?$/u;
/** A record already deleted (in the Recycle Bin) or never there (developer.salesforce.com, REST API status codes). */
const GONE = new Set(['ENTITY_IS_DELETED', 'NOT_FOUND', 'INVALID_CROSS_REFERENCE_KEY']);

/**
 * Deletes the Lead records the pipeline wrote, by id: `DELETE /services/data/vXX.X/sobjects/Lead/<id>`, 204 No
 * Content (developer.salesforce.com, REST API "Delete Records Using sObject Rows"). Salesforce moves a deleted
 * record to the Recycle Bin, which empties it after 15 days (docs/data-map.md says so); a second delete answers 404
 * `ENTITY_IS_DELETED` (absent). Web-to-Lead mode has no API to delete with: the config check says so. The sign-in
 * options are read as the delivery target reads them, so both share one session.
 */
export function createSalesforceEraser(name: string, config: TargetConfig, deps: TargetDeps): RecordEraser {
    const { options, missing } = resolveSettings(config.options, (n) => deps.setting(n));
    const read = new OptionsReader(options, `targets.${name}.options`, missing);
    if (read.oneOf('mode', ['rest', 'web-to-lead'] as const, 'rest') === 'web-to-lead') {
        throw new ConfigError([
            { path: `targets.${name}.options.mode`, message: 'web-to-lead mode has no API to delete records with' },
        ]);
    }
    const { auth } = readSalesforceAuth(read);
    const apiVersion = read.string('apiVersion', { optional: true }) ?? defaultApiVersion;
    const sessionTtlMs = read.number('sessionTtlMinutes', 60, { min: 5, max: 24 * 60 }) * 60_000;
    const requestLimitRetryMs = read.number('requestLimitRetryMinutes', 60, { min: 1, max: 24 * 60 }) * 60_000;
    const timeoutMs = read.timeout(deps.timeoutMs ?? defaultTimeoutMs);
    read.done();

    const http = new TargetHttp(deps, name, budgetFor(config), timeoutMs);
    const tokens = sharedTokenCache<SalesforceToken>(
        ['salesforce', name, JSON.stringify(auth)],
        () => requestSalesforceToken(http, auth, deps.now(), sessionTtlMs),
        () => deps.now(),
    );
    return {
        target: name,
        type: 'salesforce',
        erase: (recordIds) =>
            eraseEach(recordIds, LEAD_ID, name, async (id) => {
                for (let attempt = 1; ; attempt++) {
                    const token = await tokens.get();
                    const response = await http.send({
                        method: 'DELETE',
                        url: `${token.instanceUrl}/services/data/v${apiVersion.replace(/^v/u, '')}/sobjects/Lead/${id}`,
                        headers: { authorization: `Bearer ${token.accessToken}` },
                    });
                    if (response.status === 204) return 'erased';
                    const code = salesforceErrorCode(response);
                    if (response.status === 404 && code !== undefined && GONE.has(code)) return 'absent';
                    if (response.status === 401 && attempt === 1) {
                        tokens.invalidate(token);
                        continue;
                    }
                    throw salesforceError(name, response, deps.now(), requestLimitRetryMs);
                }
            }),
    };
}
