/**
 * Parses a `MarketplaceLeads` row written by the marketplace (Azure Table destination). `CustomerInfo` is a JSON
 * string; an invalid one is recorded in `problems` and the rest of the row is still used. `receivedAt` is when the
 * marketplace created the lead (`CreatedTime`, else the row's `Timestamp`, else when we read it), so the lead key's
 * time bucket matches the HTTPS callback of the same lead.
 */
import { buildLead } from './buildLead';
import { isPlainObject, keyView, unknownKeysOf } from './caseInsensitive';
import { readContact } from './contactObject';
import type { Lead, LeadFieldProblem, MarketplaceTableKey } from './Lead';

const known = new Set([
    'partitionkey',
    'rowkey',
    'timestamp',
    'etag',
    'odata.etag',
    'actioncode',
    'createdtime',
    'customerinfo',
    'description',
    'leadsource',
    'offerdisplayname',
    'offertitle',
    'productid',
]);

/** Strings as sent; Dates (the Table SDK deserialises Edm.DateTime) as ISO. */
function timeText(value: unknown): string | undefined {
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
    return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function isoIfParses(text: string | undefined): string | undefined {
    if (text === undefined) return undefined;
    const ms = Date.parse(text);
    return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

export function parseMarketplaceTableRow(row: Record<string, unknown>, meta: { receivedAt: string }): Lead {
    const problems: LeadFieldProblem[] = [];
    // Typed callers always pass an object; a poller handing over whatever the SDK returned may not.
    const entity: Record<string, unknown> = isPlainObject(row) ? row : {};
    if (entity !== row) problems.push({ field: '$', problem: 'the row is not an object' });
    const view = keyView(entity);
    const contact = readContact(view.get('customerinfo'), 'CustomerInfo', problems);
    const createdTime = timeText(view.get('createdtime'));
    const timestamp = timeText(view.get('timestamp'));
    const pk = view.get('partitionkey');
    const rk = view.get('rowkey');
    const tableKey: MarketplaceTableKey | undefined =
        typeof pk === 'string' && typeof rk === 'string' ? { partitionKey: pk, rowKey: rk } : undefined;
    // Type annotations the Table REST API adds (`CreatedTime@odata.type`) are not contract drift.
    const unknownKeys = unknownKeysOf(entity, known, '').filter((k) => !k.endsWith('@odata.type'));
    return buildLead({
        channel: 'table',
        receivedAt: isoIfParses(createdTime) ?? isoIfParses(timestamp) ?? meta.receivedAt,
        ...(createdTime === undefined ? {} : { createdTime }),
        contact: contact.contact,
        leadSource: view.get('leadsource'),
        actionCode: view.get('actioncode'),
        offerTitle: view.get('offerdisplayname') ?? view.get('offertitle'),
        description: view.get('description'),
        productId: view.get('productid'),
        ...(tableKey === undefined ? {} : { tableKey }),
        unknownKeys: [...unknownKeys, ...contact.unknownKeys],
        problems,
    });
}
