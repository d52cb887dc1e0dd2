/**
 * Checks an evaluated resource body against the SDK's REST model of its type: every property name must exist on the
 * wire (misspellings fail), read-only ones must not be set, required ones must be present, known values must have
 * the model's type, fixed-enum and `Known…` values, constraints (min/max, length, pattern) and discriminators.
 * Values that are not known offline are recorded as `unchecked`, never passed silently as valid.
 */
import { type Mapper, type MapperType, type PackageModels } from './armModels';
import { Alt, alternatives, Unknown, type Value } from './bicepValues';

/** Bicep's own keys on a resource body (not part of the REST body). */
const bicepKeys = new Set(['parent', 'scope', 'dependsOn', 'name']);

export interface ModelReport {
    errors: string[];
    /** Paths whose value could not be evaluated offline (checked by Azure only). */
    unchecked: string[];
}

interface WireNode {
    children: Map<string, WireNode>;
    /** The mapper at this wire path, when a model property ends here. */
    mapper?: Mapper;
    /** Declaring class and client property name, for `Known…` enum lookup. */
    owner?: { className: string; clientName: string };
}

/** Splits a serializedName on unescaped dots (`properties.odata\\.type` → properties, odata.type). */
function wirePath(serializedName: string): string[] {
    return serializedName.split(/(?<!\\)\./).map((p) => p.replace(/\\\./g, '.'));
}

function wireTree(type: MapperType, models: PackageModels): WireNode {
    const root: WireNode = { children: new Map() };
    const className = type.className ?? '';
    const full = type.className && models.mappers[type.className] ? models.mappers[type.className]!.type : type;
    for (const [clientName, mapper] of Object.entries(full.modelProperties ?? {})) {
        if (!mapper.serializedName) continue;
        let node = root;
        const path = wirePath(mapper.serializedName);
        path.forEach((segment, i) => {
            let next = node.children.get(segment);
            if (!next) {
                next = { children: new Map() };
                node.children.set(segment, next);
            }
            if (i === path.length - 1) {
                next.mapper = mapper;
                next.owner = { className, clientName };
            }
            node = next;
        });
    }
    return root;
}

function resolveType(type: MapperType, models: PackageModels): MapperType {
    if (type.name === 'Composite' && type.className && models.mappers[type.className]) {
        return models.mappers[type.className]!.type;
    }
    return type;
}

function isObject(v: Value): v is Record<string, Value> {
    return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Unknown) && !(v instanceof Alt);
}

const isoDuration = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;

export function validateAgainstModel(body: Value, model: string, models: PackageModels, where: string): ModelReport {
    const report: ModelReport = { errors: [], unchecked: [] };
    const rootMapper = models.mappers[model];
    if (!rootMapper) {
        report.errors.push(`${where}: ${models.pkg} has no model ${model}`);
        return report;
    }
    if (!isObject(body)) {
        report.unchecked.push(`${where}: body not evaluated`);
        return report;
    }
    const top: Record<string, Value> = {};
    for (const [k, v] of Object.entries(body)) if (!bicepKeys.has(k)) top[k] = v;
    checkComposite(top, rootMapper.type, models, where, report);
    return report;
}

function knownValues(owner: WireNode['owner'], models: PackageModels): string[] | undefined {
    if (!owner) return undefined;
    const alias = models.propertyTypes[owner.className]?.[owner.clientName];
    return alias ? models.knownValues[alias] : undefined;
}

function checkComposite(
    value: Record<string, Value>,
    type: MapperType,
    models: PackageModels,
    path: string,
    report: ModelReport,
): void {
    let resolved = resolveType(type, models);
    // Polymorphic: the discriminator's value selects the subtype (`odata.type`, `criterionType`).
    const discriminator = resolved.polymorphicDiscriminator;
    if (discriminator) {
        const wireName = wirePath(discriminator.serializedName).join('.');
        const chosen = value[wireName];
        if (typeof chosen === 'string') {
            const base = resolved.uberParent ?? resolved.className;
            const sub = models.discriminators[`${base}.${chosen}`];
            if (sub) resolved = resolveType(sub.type, models);
            else if (chosen !== base) {
                const allowed = Object.keys(models.discriminators)
                    .filter((k) => k.startsWith(`${base}.`))
                    .map((k) => k.slice(base!.length + 1));
                report.errors.push(`${path}.${wireName}: '${chosen}' is not a known ${base} (${allowed.join(', ')})`);
                return;
            }
        } else if (chosen !== undefined) report.unchecked.push(`${path}.${wireName}`);
    }
    const tree = wireTree(resolved, models);
    walk(value, tree, resolved, models, path, report);
}

function walk(
    value: Record<string, Value>,
    tree: WireNode,
    type: MapperType,
    models: PackageModels,
    path: string,
    report: ModelReport,
): void {
    for (const [key, v] of Object.entries(value)) {
        const node = tree.children.get(key);
        const here = `${path}.${key}`;
        if (!node) {
            if (!type.additionalProperties) {
                const known = [...tree.children.keys()].sort().join(', ');
                report.errors.push(`${here}: no such property in ${type.className ?? 'the model'} (known: ${known})`);
            }
            continue;
        }
        if (node.mapper) {
            if (node.mapper.readOnly && !['id', 'name', 'type'].includes(key)) {
                report.errors.push(`${here}: read-only in the model`);
            }
            for (const option of alternatives(v)) checkValue(option, node.mapper, node.owner, models, here, report);
        } else {
            // An intermediate wire object (a flattened `properties` bag).
            for (const option of alternatives(v)) {
                if (isObject(option)) walk(option, node, type, models, here, report);
                else if (option instanceof Unknown) report.unchecked.push(here);
                else report.errors.push(`${here}: expected an object`);
            }
        }
    }
    for (const [key, node] of tree.children) {
        if (node.mapper?.required && !node.mapper.readOnly && !node.mapper.constant && !(key in value)) {
            if (!['id', 'name', 'type'].includes(key)) report.errors.push(`${path}.${key}: required by the model`);
        }
    }
}

function checkValue(
    v: Value,
    mapper: Mapper,
    owner: WireNode['owner'],
    models: PackageModels,
    path: string,
    report: ModelReport,
): void {
    if (v instanceof Unknown) {
        report.unchecked.push(path);
        return;
    }
    if (v === null) return; // Bicep null: the property is left out.
    const type = mapper.type;
    const fail = (message: string): void => {
        report.errors.push(`${path}: ${message} (got ${JSON.stringify(v)})`);
    };
    switch (type.name) {
        case 'String':
        case 'Uuid':
        case 'DateTime':
        case 'Date':
        case 'ByteArray':
        case 'Base64Url': {
            if (typeof v !== 'string') return fail(`expected a string`);
            const known = knownValues(owner, models);
            if (known && known.length > 0 && !known.includes(v)) fail(`not one of ${known.join(', ')}`);
            break;
        }
        case 'TimeSpan':
            if (typeof v !== 'string' || !isoDuration.test(v)) return fail('expected an ISO 8601 duration');
            break;
        case 'Number':
            if (typeof v !== 'number') return fail('expected a number');
            break;
        case 'Boolean':
            if (typeof v !== 'boolean') return fail('expected a boolean');
            break;
        case 'Enum':
            if (!type.allowedValues?.includes(v)) return fail(`not one of ${(type.allowedValues ?? []).join(', ')}`);
            break;
        case 'Sequence':
            if (!Array.isArray(v)) return fail('expected an array');
            v.forEach((item, i) => {
                for (const option of alternatives(item))
                    checkValue(option, type.element!, undefined, models, `${path}[${i}]`, report);
            });
            break;
        case 'Dictionary':
            if (!isObject(v)) return fail('expected an object');
            for (const [k, item] of Object.entries(v)) {
                for (const option of alternatives(item))
                    checkValue(option, type.value!, undefined, models, `${path}.${k}`, report);
            }
            break;
        case 'Composite':
            if (!isObject(v)) return fail('expected an object');
            checkComposite(v, type, models, path, report);
            break;
        default:
            break; // Object: any JSON
    }
    checkConstraints(v, mapper.constraints, path, report);
}

function checkConstraints(
    v: Value,
    constraints: Record<string, unknown> | undefined,
    path: string,
    report: ModelReport,
) {
    if (!constraints) return;
    const fail = (message: string): void => {
        report.errors.push(`${path}: ${message} (got ${JSON.stringify(v)})`);
    };
    const c = constraints as Record<string, number | string>;
    if (typeof v === 'number') {
        if (c.InclusiveMinimum !== undefined && v < Number(c.InclusiveMinimum)) fail(`below ${c.InclusiveMinimum}`);
        if (c.InclusiveMaximum !== undefined && v > Number(c.InclusiveMaximum)) fail(`above ${c.InclusiveMaximum}`);
        if (c.ExclusiveMinimum !== undefined && v <= Number(c.ExclusiveMinimum))
            fail(`not above ${c.ExclusiveMinimum}`);
        if (c.ExclusiveMaximum !== undefined && v >= Number(c.ExclusiveMaximum))
            fail(`not below ${c.ExclusiveMaximum}`);
    }
    if (typeof v === 'string') {
        if (c.MaxLength !== undefined && v.length > Number(c.MaxLength)) fail(`longer than ${c.MaxLength}`);
        if (c.MinLength !== undefined && v.length < Number(c.MinLength)) fail(`shorter than ${c.MinLength}`);
        if (typeof c.Pattern === 'string' && !new RegExp(c.Pattern).test(v)) fail(`does not match ${c.Pattern}`);
    }
    if (Array.isArray(v)) {
        if (c.MaxItems !== undefined && v.length > Number(c.MaxItems)) fail(`more than ${c.MaxItems} items`);
        if (c.MinItems !== undefined && v.length < Number(c.MinItems)) fail(`fewer than ${c.MinItems} items`);
    }
}
