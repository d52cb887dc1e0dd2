/**
 * Microsoft's REST models of the resources `infra/` declares, read from the Azure SDK for JavaScript management
 * packages on npm (`@azure/arm-*`, devDependencies): their serialization mappers (`models/mappers.js`) give every
 * property's wire name (`serializedName`, flattened paths such as `properties.serverFarmId`), type, required and
 * read-only flags, constraints, fixed enums and polymorphic discriminators; their type declarations
 * (`models/index.d.ts`) give the known values of extensible enums (`Known…`). Each package describes one API version
 * per operation group, read from its `models/parameters.js`, so the tests can tell when a template's API version is
 * not the one modelled.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import ts from 'typescript';

import { repoRoot } from './bicepTemplates';

/** A resource type, the SDK package and model (the PUT body) describing it, and the operations file of its API. */
export interface ModelSource {
    type: string;
    /** Only the resource of this name (one type, several bodies: `sites/config` `appsettings` or `authsettingsV2`). */
    name?: string;
    pkg: string;
    model: string;
    operations: string;
}

export const modelSources: ModelSource[] = [
    {
        type: 'Microsoft.Resources/resourceGroups',
        pkg: '@azure/arm-resources',
        model: 'ResourceGroup',
        operations: 'resourceGroups',
    },
    {
        type: 'Microsoft.ManagedIdentity/userAssignedIdentities',
        pkg: '@azure/arm-msi',
        model: 'Identity',
        operations: 'userAssignedIdentities',
    },
    {
        type: 'Microsoft.Storage/storageAccounts',
        pkg: '@azure/arm-storage',
        model: 'StorageAccountCreateParameters',
        operations: 'storageAccounts',
    },
    {
        type: 'Microsoft.Storage/storageAccounts/blobServices',
        pkg: '@azure/arm-storage',
        model: 'BlobServiceProperties',
        operations: 'blobServices',
    },
    {
        type: 'Microsoft.Storage/storageAccounts/blobServices/containers',
        pkg: '@azure/arm-storage',
        model: 'BlobContainer',
        operations: 'blobContainers',
    },
    {
        type: 'Microsoft.Storage/storageAccounts/tableServices',
        pkg: '@azure/arm-storage',
        model: 'TableServiceProperties',
        operations: 'tableServices',
    },
    {
        type: 'Microsoft.Storage/storageAccounts/tableServices/tables',
        pkg: '@azure/arm-storage',
        model: 'Table',
        operations: 'tableOperations',
    },
    {
        type: 'Microsoft.Web/serverfarms',
        pkg: '@azure/arm-appservice',
        model: 'AppServicePlan',
        operations: 'appServicePlans',
    },
    { type: 'Microsoft.Web/sites', pkg: '@azure/arm-appservice', model: 'Site', operations: 'webApps' },
    {
        type: 'Microsoft.Web/sites/config',
        name: 'authsettingsV2',
        pkg: '@azure/arm-appservice',
        model: 'SiteAuthSettingsV2',
        operations: 'webApps',
    },
    {
        type: 'Microsoft.Web/sites/config',
        pkg: '@azure/arm-appservice',
        model: 'StringDictionary',
        operations: 'webApps',
    },
    {
        type: 'Microsoft.ServiceBus/namespaces',
        pkg: '@azure/arm-servicebus',
        model: 'SBNamespace',
        operations: 'namespaces',
    },
    {
        type: 'Microsoft.ServiceBus/namespaces/queues',
        pkg: '@azure/arm-servicebus',
        model: 'SBQueue',
        operations: 'queues',
    },
    {
        type: 'Microsoft.OperationalInsights/workspaces',
        pkg: '@azure/arm-operationalinsights',
        model: 'Workspace',
        operations: 'workspaces',
    },
    {
        type: 'Microsoft.Insights/components',
        pkg: '@azure/arm-appinsights',
        model: 'ApplicationInsightsComponent',
        operations: 'components',
    },
    { type: 'Microsoft.Insights/workbooks', pkg: '@azure/arm-appinsights', model: 'Workbook', operations: 'workbooks' },
    {
        type: 'Microsoft.KeyVault/vaults',
        pkg: '@azure/arm-keyvault',
        model: 'VaultCreateOrUpdateParameters',
        operations: 'vaults',
    },
    {
        type: 'Microsoft.KeyVault/vaults/secrets',
        pkg: '@azure/arm-keyvault',
        model: 'SecretCreateOrUpdateParameters',
        operations: 'secrets',
    },
    {
        type: 'Microsoft.Authorization/roleAssignments',
        pkg: '@azure/arm-authorization',
        model: 'RoleAssignmentCreateParameters',
        operations: 'roleAssignments',
    },
    {
        type: 'Microsoft.Insights/actionGroups',
        pkg: '@azure/arm-monitor',
        model: 'ActionGroupResource',
        operations: 'actionGroups',
    },
    {
        type: 'Microsoft.Insights/metricAlerts',
        pkg: '@azure/arm-monitor',
        model: 'MetricAlertResource',
        operations: 'metricAlerts',
    },
];

/**
 * Resource types no management package on npm models at the declared API version, with the reason. Their
 * properties are checked only by the cited rules in serviceLimits.ts (and Azure, at deployment).
 */
export const unmodelled: Record<string, string> = {
    'Microsoft.Insights/scheduledQueryRules':
        '@azure/arm-monitor 7.x (the last release with mappers) models only 2018-04-16, the legacy log-search shape; 8.x has no mappers',
    'Microsoft.DurableTask/schedulers': 'no @azure/arm-durabletask package exists on npm',
    'Microsoft.DurableTask/schedulers/taskHubs': 'no @azure/arm-durabletask package exists on npm',
};

/**
 * Templates declared at an API version other than the one the SDK models, and why the model still applies. Properties
 * added after the modelled version are listed: they are not checked against the model (reported as unchecked).
 */
export const versionGaps: Record<string, { reason: string; newerProperties?: string[] }> = {
    'Microsoft.Resources/resourceGroups@2024-03-01': {
        reason: 'a resource group has location, tags and managedBy in every version; @azure/arm-resources 6.0.0 models 2024-11-01',
    },
    'Microsoft.OperationalInsights/workspaces@2023-09-01': {
        reason: 'the last mapper-based @azure/arm-operationalinsights (9.0.0) models 2022-10-01; sku and retentionInDays are unchanged',
    },
    'Microsoft.Insights/actionGroups@2023-01-01': {
        reason: '@azure/arm-monitor 7.0.0 models 2021-09-01; groupShortName, enabled and emailReceivers are unchanged',
    },
    'Microsoft.ServiceBus/namespaces@2024-01-01': {
        reason: 'the only mapper-based @azure/arm-servicebus (6.1.0) models 2021-11-01',
        // Both appear in the 2022-10-01-preview and later namespace API (Service Bus REST reference, Namespaces).
        newerProperties: ['properties.minimumTlsVersion', 'properties.publicNetworkAccess'],
    },
    'Microsoft.ServiceBus/namespaces/queues@2024-01-01': {
        reason: 'the only mapper-based @azure/arm-servicebus (6.1.0) models 2021-11-01; the queue properties used are unchanged',
    },
};

export interface MapperType {
    name: string;
    className?: string;
    modelProperties?: Record<string, Mapper>;
    additionalProperties?: Mapper;
    polymorphicDiscriminator?: { serializedName: string; clientName: string };
    uberParent?: string;
    element?: Mapper;
    value?: Mapper;
    allowedValues?: unknown[];
}

export interface Mapper {
    serializedName?: string;
    required?: boolean;
    readOnly?: boolean;
    constant?: boolean;
    defaultValue?: unknown;
    constraints?: Record<string, unknown>;
    type: MapperType;
}

export interface PackageModels {
    pkg: string;
    version: string;
    mappers: Record<string, Mapper>;
    discriminators: Record<string, Mapper>;
    /** `Known<Type>` enum values by type alias name, and interface property → type alias name. */
    knownValues: Record<string, string[]>;
    propertyTypes: Record<string, Record<string, string>>;
    /** Operation group (e.g. `webApps`) → API version. */
    apiVersions: Record<string, string>;
}

function packageDir(pkg: string): string {
    return dirname(require.resolve(`${pkg}/package.json`, { paths: [repoRoot] }));
}

/** The mapper-era layouts: `dist/commonjs/models` (newer) or `dist-esm/src/models` (older). */
function modelsDir(pkg: string): string {
    const dir = packageDir(pkg);
    for (const candidate of ['dist/commonjs/models', 'dist-esm/src/models']) {
        try {
            readdirSync(join(dir, candidate));
            return join(dir, candidate);
        } catch {
            // next layout
        }
    }
    throw new Error(`${pkg} has no models/mappers.js: not a mapper-based release`);
}

/*
 * The older packages ship their mappers as ES modules; a child Node process imports either kind and returns the
 * mapper objects as JSON (regular expressions in constraints become their source text).
 */
const loaderScript = `
const files = JSON.parse(process.argv[1]);
(async () => {
  const out = {};
  for (const [pkg, file] of Object.entries(files)) {
    const m = await import(file);
    const mappers = {};
    let discriminators = {};
    for (const [k, v] of Object.entries(m.default && !m.discriminators ? m.default : m)) {
      if (k === 'discriminators') discriminators = v;
      else if (v && typeof v === 'object' && v.type) mappers[k] = v;
    }
    out[pkg] = { mappers, discriminators };
  }
  process.stdout.write(JSON.stringify(out, (k, v) => (v instanceof RegExp ? v.source : v)));
})().catch((e) => { console.error(e); process.exit(1); });`;

function apiVersions(dir: string): Record<string, string> {
    const params = readFileSync(join(dir, 'parameters.js'), 'utf8');
    const defaults: Record<string, string> = {};
    for (const m of params.matchAll(
        /(?:export const|exports\.)\s*(apiVersion\d*)\s*=\s*\{[\s\S]*?defaultValue:\s*"([^"]+)"/g,
    )) {
        defaults[m[1]!] = m[2]!;
    }
    const operations = join(dirname(dir), 'operations');
    const result: Record<string, string> = {};
    for (const file of readdirSync(operations).filter((f) => f.endsWith('.js'))) {
        const text = readFileSync(join(operations, file), 'utf8');
        // The version most of the group's operations use (a vault's name check, say, keeps an older one).
        const counts = new Map<string, number>();
        for (const m of text.matchAll(/Parameters\.(apiVersion\d*)\b/g))
            counts.set(m[1]!, (counts.get(m[1]!) ?? 0) + 1);
        const [top] = [...counts.entries()].sort((a, b) => b[1] - a[1]);
        if (top && defaults[top[0]]) result[file.replace(/\.js$/, '')] = defaults[top[0]]!;
    }
    return result;
}

/** Known values of extensible enums and each interface's property types, from the package's type declarations. */
function declarations(dir: string) {
    const source = ts.createSourceFile(
        'index.d.ts',
        readFileSync(join(dir, 'index.d.ts'), 'utf8'),
        ts.ScriptTarget.Latest,
    );
    const knownValues: Record<string, string[]> = {};
    const propertyTypes: Record<string, Record<string, string>> = {};
    const bases: Record<string, string[]> = {};
    for (const statement of source.statements) {
        if (ts.isEnumDeclaration(statement) && statement.name.text.startsWith('Known')) {
            knownValues[statement.name.text.slice('Known'.length)] = statement.members.flatMap((m) =>
                m.initializer && ts.isStringLiteral(m.initializer) ? [m.initializer.text] : [],
            );
        }
        const members = (list: ts.NodeArray<ts.TypeElement>) => {
            const props: Record<string, string> = {};
            for (const member of list) {
                if (ts.isPropertySignature(member) && member.type && ts.isTypeReferenceNode(member.type)) {
                    props[member.name.getText(source).replace(/^"|"$/g, '')] = member.type.typeName.getText(source);
                }
            }
            return props;
        };
        if (ts.isInterfaceDeclaration(statement)) {
            propertyTypes[statement.name.text] = members(statement.members);
            bases[statement.name.text] = (statement.heritageClauses ?? []).flatMap((h) =>
                h.types.map((t) => t.expression.getText(source)),
            );
        }
        // Subtypes of polymorphic models: `type MetricCriteria = MultiMetricCriteria & { … }`.
        if (ts.isTypeAliasDeclaration(statement) && ts.isIntersectionTypeNode(statement.type)) {
            const parts = statement.type.types;
            propertyTypes[statement.name.text] = Object.assign(
                {},
                ...parts.filter(ts.isTypeLiteralNode).map((literal) => members(literal.members)),
            );
            bases[statement.name.text] = parts.filter(ts.isTypeReferenceNode).map((r) => r.typeName.getText(source));
        }
    }
    // Inherited properties (interface A extends B) are part of A.
    const resolve = (name: string, seen = new Set<string>()): Record<string, string> => {
        if (seen.has(name)) return {};
        seen.add(name);
        return Object.assign({}, ...(bases[name] ?? []).map((b) => resolve(b, seen)), propertyTypes[name]);
    };
    return {
        knownValues,
        propertyTypes: Object.fromEntries(Object.keys(propertyTypes).map((name) => [name, resolve(name)])),
    };
}

let cache: Record<string, PackageModels> | undefined;

export function armModels(): Record<string, PackageModels> {
    if (cache) return cache;
    const pkgs = [...new Set(modelSources.map((s) => s.pkg))];
    const dirs = Object.fromEntries(pkgs.map((p) => [p, modelsDir(p)]));
    const files = Object.fromEntries(pkgs.map((p) => [p, join(dirs[p]!, 'mappers.js')]));
    const result = spawnSync(process.execPath, ['-e', loaderScript, JSON.stringify(files)], {
        cwd: repoRoot,
        encoding: 'utf8',
        maxBuffer: 512 * 1024 * 1024,
    });
    if (result.status !== 0) throw new Error(`loading the SDK mappers failed: ${result.stderr}`);
    const loaded = JSON.parse(result.stdout) as Record<string, Pick<PackageModels, 'mappers' | 'discriminators'>>;
    cache = Object.fromEntries(
        pkgs.map((pkg) => {
            const version = (
                JSON.parse(readFileSync(join(packageDir(pkg), 'package.json'), 'utf8')) as { version: string }
            ).version;
            return [
                pkg,
                { pkg, version, ...loaded[pkg]!, ...declarations(dirs[pkg]!), apiVersions: apiVersions(dirs[pkg]!) },
            ];
        }),
    );
    return cache;
}

/** The API version the SDK models for a resource type (its operation group's `api-version`). */
export function modelledApiVersion(source: ModelSource): string | undefined {
    return armModels()[source.pkg]!.apiVersions[source.operations];
}
