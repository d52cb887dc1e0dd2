/** Runs every template through the SDK models and the cited service limits; shared by the tests and their report. */
import { armModels, modelledApiVersion, modelSources, unmodelled, versionGaps } from './armModels';
import { resources, type Template, templates } from './bicepTemplates';
import { resourceBodies } from './bicepValues';
import { serviceLimitErrors } from './serviceLimits';
import { validateAgainstModel } from './validateAgainstModel';

export interface TemplateCheck {
    errors: string[];
    unchecked: string[];
    /** `file: type@version` declared at an API version the model does not describe. */
    versionMismatches: string[];
    unmodelled: string[];
}

/** The `name` of a resource body, when it is a literal. */
function nameOf(body: unknown): unknown {
    return typeof body === 'object' && body !== null && !Array.isArray(body)
        ? (body as { name?: unknown }).name
        : undefined;
}

export function checkTemplate(t: Template): TemplateCheck {
    const check: TemplateCheck = { errors: [], unchecked: [], versionMismatches: [], unmodelled: [] };
    for (const r of resources(t).filter((r) => !r.existing)) {
        const where = `${t.file}: ${r.symbol} (${r.type})`;
        const bodies = resourceBodies(t, r.node);
        for (const body of bodies) check.errors.push(...serviceLimitErrors(r.type, body, where));
        const source = modelSources.find(
            (s) => s.type === r.type && (s.name === undefined || bodies.some((b) => nameOf(b) === s.name)),
        );
        if (!source) {
            if (r.type in unmodelled) check.unmodelled.push(`${where}: ${unmodelled[r.type]}`);
            else check.errors.push(`${where}: no SDK model source and no documented reason (armModels.ts)`);
            continue;
        }
        const modelled = modelledApiVersion(source);
        const gap = versionGaps[`${r.type}@${r.apiVersion}`];
        if (modelled !== r.apiVersion) {
            check.versionMismatches.push(`${r.type}@${r.apiVersion}`);
            if (!gap) check.errors.push(`${where}@${r.apiVersion}: ${source.pkg} models ${modelled ?? 'no version'}`);
        }
        const newer = (gap?.newerProperties ?? []).map((p) => `${where}.${p}`);
        for (const body of bodies) {
            const report = validateAgainstModel(body, source.model, armModels()[source.pkg]!, where);
            check.errors.push(...report.errors.filter((e) => !newer.some((n) => e.startsWith(`${n}:`))));
            check.unchecked.push(
                ...report.unchecked,
                ...newer.filter((n) => report.errors.some((e) => e.startsWith(`${n}:`))),
            );
        }
    }
    return check;
}

export function checkAllTemplates(): TemplateCheck {
    const all: TemplateCheck = { errors: [], unchecked: [], versionMismatches: [], unmodelled: [] };
    for (const t of templates()) {
        const c = checkTemplate(t);
        all.errors.push(...c.errors);
        all.unchecked.push(...new Set(c.unchecked));
        all.versionMismatches.push(...c.versionMismatches);
        all.unmodelled.push(...c.unmodelled);
    }
    return all;
}
