import type { TargetConfig } from '../../domain/index';
import type { RecordEraser, RecordErasure } from '../../ports/RecordEraser';
import type { TargetDeps } from '../../ports/TargetFactory';
import { resolveSettings } from '../../settingReferences';
import { errorForStatus } from '../crmKit/classifyStatus';
import { defaultTimeoutMs } from '../crmKit/httpCall';
import { OptionsReader } from '../crmKit/OptionsReader';
import { TargetHttp } from '../crmKit/TargetHttp';
import { sharedTokenCache, type Token } from '../crmKit/TokenCache';
import { failedErasure } from '../erasure/recordOutcome';
import { budgetFor } from '../rateGovernor/defaultBudgets';
import { requestMarketoToken } from './marketoAuth';
import { marketoError, tokenErrorCodes } from './marketoErrors';

/** Marketo lead ids are integers. */
const LEAD_ID = /^\d{1,12}$/u;
/** "Max batch size (standard): 300 records" (developers.marketo.com, REST API, Lead Database). */
const BATCH = 300;
/** Record-level reason of a lead that does not exist (Marketo REST error codes: 1004 Lead not found). */
const NOT_FOUND = '1004';

interface DeleteBody {
    success?: boolean;
    errors?: { code?: string }[];
    result?: { id?: number; status?: string; reasons?: { code?: string }[] }[];
}

/**
 * Deletes the leads the pipeline wrote, by id: `POST /rest/v1/leads/delete.json` with `{ input: [{ id }] }`, at most
 * 300 a call, answering HTTP 200 with each record's `status` (`deleted`, or `skipped` with `reasons`), errors of the
 * whole call in `errors[]` (Marketo REST "Delete Leads", permission Read-Write Lead; error-code reference for 601/602
 * and 1004). The same options as the delivery target; the token cache is shared.
 */
export function createMarketoEraser(name: string, config: TargetConfig, deps: TargetDeps): RecordEraser {
    const { options, missing } = resolveSettings(config.options, (n) => deps.setting(n));
    const read = new OptionsReader(options, `targets.${name}.options`, missing);
    const baseUrl = read.url('baseUrl').replace(/\/rest$/u, '');
    const clientId = read.string('clientId');
    const clientSecret = read.string('clientSecret');
    const timeoutMs = read.timeout(deps.timeoutMs ?? defaultTimeoutMs);
    read.done();

    const http = new TargetHttp(deps, name, budgetFor(config), timeoutMs);
    const tokens = sharedTokenCache<Token>(
        ['marketo', name, baseUrl, clientId, clientSecret],
        () => requestMarketoToken(http, { baseUrl, clientId, clientSecret }, () => deps.now()),
        () => deps.now(),
        // As the delivery target: Marketo re-issues the live token, so it is used until it expires.
        { refreshBeforeMs: 0 },
    );

    async function eraseBatch(ids: readonly string[]): Promise<RecordErasure[]> {
        for (let attempt = 1; ; attempt++) {
            const token = await tokens.get();
            const response = await http.send({
                method: 'POST',
                url: `${baseUrl}/rest/v1/leads/delete.json`,
                headers: { authorization: `Bearer ${token.accessToken}` },
                body: { input: ids.map((id) => ({ id: Number(id) })) },
            });
            if (response.status !== 200) throw errorForStatus(name, response, deps.now());
            const body = (response.json ?? {}) as DeleteBody;
            if (body.success !== true) {
                const code = body.errors?.[0]?.code;
                if (code !== undefined && tokenErrorCodes.has(code) && attempt === 1) {
                    tokens.invalidate(token);
                    continue;
                }
                throw marketoError(name, code, 'response');
            }
            return ids.map((recordId, i) => {
                const result = body.result?.find((r) => String(r.id) === recordId) ?? body.result?.[i];
                if (result?.status === 'deleted') return { recordId, outcome: 'erased' };
                const reason = result?.reasons?.[0]?.code;
                if (reason === NOT_FOUND) return { recordId, outcome: 'absent' };
                return failedErasure(recordId, marketoError(name, reason, 'record'));
            });
        }
    }

    return {
        target: name,
        type: 'marketo',
        async erase(recordIds) {
            const out: RecordErasure[] = [];
            const valid = recordIds.filter((id) => LEAD_ID.test(id));
            for (const id of recordIds) {
                if (!LEAD_ID.test(id)) {
                    out.push({
                        recordId: id,
                        outcome: 'permanent',
                        error: `${name}: the stored record id is not one this target issues`,
                    });
                }
            }
            for (let i = 0; i < valid.length; i += BATCH) {
                const batch = valid.slice(i, i + BATCH);
                try {
                    out.push(...(await eraseBatch(batch)));
                } catch (err) {
                    out.push(...batch.map((recordId) => failedErasure(recordId, err)));
                }
            }
            return out;
        },
    };
}
