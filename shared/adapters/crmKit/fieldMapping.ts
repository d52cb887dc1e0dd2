import type { DeliveryOwner, Lead, LeadDecision } from '../../domain/index';
import { type LeadFieldName, leadFieldNames, leadFields } from './leadFields';

/** Target field → expression. */
export type FieldMapping = Record<string, string>;
export type MappedRecord = Record<string, string | number | boolean>;

/**
 * Builds the record a CRM receives from `defaults` overlaid with the config's `mapping`. An expression is one or
 * more alternatives separated by `??`, the first with a value wins; each is a lead field name (`email`, `grade`,
 * …), a path (`lead.offer.productId`, `decision.route.mode`), or a literal after `=` (`=Marketplace`). An override
 * with an empty expression removes a default field. Fields without a value are left out, so an update never
 * blanks a CRM field the lead did not carry.
 */
export function mapLead(
    defaults: FieldMapping,
    overrides: FieldMapping | undefined,
    lead: Lead,
    decision: LeadDecision,
    owner?: DeliveryOwner,
): MappedRecord {
    const mapping: FieldMapping = { ...defaults, ...overrides };
    const view = leadFields(lead, decision, owner);
    const record: MappedRecord = {};
    for (const [field, expression] of Object.entries(mapping)) {
        const value = evaluate(expression, view, lead, decision);
        if (value !== undefined) record[field] = value;
    }
    return record;
}

/** Problems with a mapping (unknown field names), for the factory's `ConfigError`. */
export function mappingProblems(mapping: FieldMapping | undefined, basePath: string) {
    const problems: { path: string; message: string }[] = [];
    for (const [field, expression] of Object.entries(mapping ?? {})) {
        if (typeof expression !== 'string') {
            problems.push({ path: `${basePath}.${field}`, message: 'must be a string expression' });
            continue;
        }
        for (const alt of alternatives(expression)) {
            if (alt.startsWith('=') || alt.startsWith('lead.') || alt.startsWith('decision.')) continue;
            if (!(leadFieldNames as readonly string[]).includes(alt)) {
                problems.push({
                    path: `${basePath}.${field}`,
                    message: `unknown lead field "${alt}" (use one of ${leadFieldNames.join(', ')}, lead.<path>, decision.<path> or =literal)`,
                });
            }
        }
    }
    return problems;
}

function alternatives(expression: string): string[] {
    return expression
        .split('??')
        .map((a) => a.trim())
        .filter((a) => a !== '');
}

function evaluate(
    expression: string,
    view: ReturnType<typeof leadFields>,
    lead: Lead,
    decision: LeadDecision,
): string | number | boolean | undefined {
    for (const alt of alternatives(expression)) {
        let value: unknown;
        if (alt.startsWith('=')) value = alt.slice(1);
        else if (alt.startsWith('lead.')) value = walk(lead, alt.slice(5));
        else if (alt.startsWith('decision.')) value = walk(decision, alt.slice(9));
        else value = view[alt as LeadFieldName];
        if (typeof value === 'string' && value.trim() !== '') return value;
        if (typeof value === 'number' || typeof value === 'boolean') return value;
        if (Array.isArray(value) && value.length > 0) return value.map(String).join(', ');
    }
    return undefined;
}

function walk(root: unknown, path: string): unknown {
    let node: unknown = root;
    for (const part of path.split('.')) {
        if (node === null || typeof node !== 'object') return undefined;
        node = (node as Record<string, unknown>)[part];
    }
    return node;
}
