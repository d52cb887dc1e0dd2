import { randomBytes } from 'node:crypto';

import type { HttpRequest, InvocationContext } from '@azure/functions';

import { contextLogger } from '../shared/app/contextLogger';
import { errorResponse } from '../shared/app/errorResponse';
import { operationsEndpoint } from '../shared/app/operationsEndpoint';
import { operationsRoute } from '../shared/app/operationsRoute';
import { MAX_PERSON_REQUEST_BYTES, parsePersonRequest } from '../shared/app/privacy/erasureRequest';
import { exportPerson as exportData, type ExportPersonDeps } from '../shared/app/privacy/exportPerson';
import { readBoundedBody } from '../shared/app/readBoundedBody';
import { getDeps } from '../shared/composition';
import type { OperationsAccess } from '../shared/config';
import { functionNames } from '../shared/names';

/**
 * POST /api/privacy/exports `{ email, offer?, marketplaceTable? }`: everything held about the person as one JSON
 * document (GDPR art. 15), with the CRMs that received them and the record ids there. POST, so the address never
 * appears in a URL (and so in no access log).
 */
export function createExportPerson(deps: () => Omit<ExportPersonDeps, 'logger'>, access?: () => OperationsAccess) {
    return operationsEndpoint('operate', access, async (request: HttpRequest, context: InvocationContext) => {
        const body = await readBoundedBody(
            request.body,
            request.headers.get('content-length'),
            MAX_PERSON_REQUEST_BYTES,
        );
        if (body === 'too-large') {
            return errorResponse(413, 'too-large', `The body is larger than ${MAX_PERSON_REQUEST_BYTES} bytes.`);
        }
        const person = parsePersonRequest(body, true);
        const document = await exportData(
            { ...deps(), logger: contextLogger(context) },
            { ...person, email: person.email! },
        );
        return {
            status: 200,
            headers: { 'Content-Disposition': `attachment; filename="${document.exportId}.json"` },
            jsonBody: document,
        };
    });
}

export const exportPerson = createExportPerson(() => {
    const d = getDeps();
    return {
        leads: d.leads,
        eraser: d.privacy.leads,
        payloads: d.privacy.payloads,
        marketplaceRows: d.privacy.marketplaceRows,
        log: d.privacy.log,
        policy: d.privacy.policy,
        targetTypes: Object.fromEntries(Object.entries(d.config.pipeline.targets).map(([n, t]) => [n, t.type])),
        now: d.now,
        randomId: () => randomBytes(4).toString('hex'),
    };
});

operationsRoute(functionNames.exportPerson, {
    methods: ['POST'],
    route: 'api/privacy/exports',
    handler: exportPerson,
});
