/**
 * Service limits no REST model carries, each with the Microsoft document it comes from. They apply to every value a
 * property can take (alternatives from parameters and ternaries included); values unknown offline are skipped here
 * and reported as unchecked by the model check.
 */
import { Alt, alternatives, Unknown, type Value } from './bicepValues';

type Rule = (body: Record<string, Value>, fail: (message: string) => void) => void;

function get(body: Value, dotted: string): Value[] {
    let current: Value[] = [body];
    for (const key of dotted.split('.')) {
        current = current
            .flatMap(alternatives)
            .flatMap((v) =>
                v !== null &&
                typeof v === 'object' &&
                !Array.isArray(v) &&
                !(v instanceof Unknown) &&
                !(v instanceof Alt)
                    ? v[key] === undefined
                        ? []
                        : alternatives(v[key])
                    : [],
            );
    }
    return current.filter((v) => !(v instanceof Unknown));
}

/** A value as text for messages and comparisons. */
function text(v: Value): string {
    return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
}

/** ISO 8601 duration → seconds (years and months are not used by these properties). */
export function durationSeconds(duration: string): number {
    const m = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(duration);
    if (!m) return Number.NaN;
    const [, w, d, h, min, s] = m.map((x) => (x === undefined ? 0 : Number(x)));
    return (((w! * 7 + d!) * 24 + h!) * 60 + min!) * 60 + s!;
}

const TWO_DAYS = 2 * 86_400;

/**
 * Flex Consumption: app settings the plan rejects or ignores ("Flex Consumption plan deprecations", App settings
 * reference for Azure Functions): runtime and scale are set in functionAppConfig, deployment in its deployment block.
 */
export const flexForbiddenAppSettings = [
    'FUNCTIONS_EXTENSION_VERSION',
    'FUNCTIONS_WORKER_RUNTIME',
    'FUNCTIONS_WORKER_RUNTIME_VERSION',
    'FUNCTIONS_MAX_HTTP_CONCURRENCY',
    'FUNCTIONS_WORKER_PROCESS_COUNT',
    'FUNCTIONS_WORKER_DYNAMIC_CONCURRENCY_ENABLED',
    'SCM_DO_BUILD_DURING_DEPLOYMENT',
    'ENABLE_ORYX_BUILD',
    'WEBSITE_CONTENTAZUREFILECONNECTIONSTRING',
    'WEBSITE_CONTENTOVERVNET',
    'WEBSITE_CONTENTSHARE',
    'WEBSITE_DNS_SERVER',
    'WEBSITE_MAX_DYNAMIC_APPLICATION_SCALE_OUT',
    'WEBSITE_NODE_DEFAULT_VERSION',
    'WEBSITE_RUN_FROM_PACKAGE',
    'WEBSITE_SKIP_CONTENTSHARE_VALIDATION',
    'WEBSITE_VNET_ROUTE_ALL',
];

/** Flex Consumption: site properties replaced by functionAppConfig (same source). */
export const flexForbiddenSiteConfig = [
    'alwaysOn',
    'functionAppScaleLimit',
    'linuxFxVersion',
    'minimumElasticInstanceCount',
    'preWarmedInstanceCount',
    'use32BitWorkerProcess',
    'javaVersion',
    'netFrameworkVersion',
    'powerShellVersion',
];

export const rules: Record<string, Rule[]> = {
    'Microsoft.Insights/scheduledQueryRules': [
        // "The alert time range is limited to a maximum of two days" (Create or edit a log search alert rule).
        (body, fail) => {
            for (const key of ['properties.windowSize', 'properties.overrideQueryTimeRange']) {
                for (const v of get(body, key)) {
                    if (typeof v === 'string' && !(durationSeconds(v) <= TWO_DAYS)) {
                        fail(`${key} ${v}: a log search alert's time range is at most two days (P2D)`);
                    }
                }
            }
        },
        // The evaluation frequency cannot exceed the window (Scheduled Query Rules REST, evaluationFrequency).
        (body, fail) => {
            for (const f of get(body, 'properties.evaluationFrequency'))
                for (const w of get(body, 'properties.windowSize'))
                    if (typeof f === 'string' && typeof w === 'string' && durationSeconds(f) > durationSeconds(w)) {
                        fail(`evaluationFrequency ${f} is longer than windowSize ${w}`);
                    }
        },
    ],
    'Microsoft.Insights/metricAlerts': [
        // az monitor metrics alert create: --evaluation-frequency 1m, 5m, 15m, 30m, 1h; --window-size 1m … 24h.
        (body, fail) => {
            const frequencies = ['PT1M', 'PT5M', 'PT15M', 'PT30M', 'PT1H'];
            const windows = ['PT1M', 'PT5M', 'PT15M', 'PT30M', 'PT1H', 'PT6H', 'PT12H', 'P1D', 'PT24H'];
            for (const f of get(body, 'properties.evaluationFrequency'))
                if (!frequencies.includes(text(f)))
                    fail(`evaluationFrequency ${text(f)} is not one of ${frequencies.join(', ')}`);
            for (const w of get(body, 'properties.windowSize'))
                if (!windows.includes(text(w))) fail(`windowSize ${text(w)} is not one of ${windows.join(', ')}`);
            for (const f of get(body, 'properties.evaluationFrequency'))
                for (const w of get(body, 'properties.windowSize'))
                    if (durationSeconds(text(f)) > durationSeconds(text(w)))
                        fail(`evaluationFrequency ${text(f)} exceeds windowSize ${text(w)}`);
        },
        // A custom metric exists only once emitted: creating the rule before that needs skipMetricValidation
        // ("Allows creating an alert rule on a custom metric that isn't yet emitted", MetricCriteria, REST 2018-03-01).
        (body, fail) => {
            for (const criteria of get(body, 'properties.criteria.allOf')) {
                for (const c of Array.isArray(criteria) ? criteria : []) {
                    const namespace = get(c, 'metricNamespace');
                    if (
                        namespace.includes('azure.applicationinsights') &&
                        !get(c, 'skipMetricValidation').includes(true)
                    ) {
                        fail(`custom metric ${text(get(c, 'metricName')[0] ?? null)} needs skipMetricValidation: true`);
                    }
                }
            }
        },
    ],
    'Microsoft.Web/sites': [
        // "The lowest maximum instance count value is 40, and the highest supported maximum instance count value is
        // 1,000" (Event-driven scaling in Azure Functions, Flex Consumption plan).
        (body, fail) => {
            for (const n of get(body, 'properties.functionAppConfig.scaleAndConcurrency.maximumInstanceCount')) {
                if (typeof n === 'number' && (n < 40 || n > 1000))
                    fail(`maximumInstanceCount ${n} is outside 40–1,000`);
            }
        },
        // Instance memory: 512, 2048 or 4096 MB (Flex Consumption plan hosting, Instance memory).
        (body, fail) => {
            for (const n of get(body, 'properties.functionAppConfig.scaleAndConcurrency.instanceMemoryMB')) {
                if (![512, 2048, 4096].includes(Number(n)))
                    fail(`instanceMemoryMB ${text(n)} is not 512, 2048 or 4096`);
            }
        },
        // Node.js 22 and 24 are the GA Node versions on Flex Consumption; Node 20 reached end of life on 2026-04-30
        // (Supported languages in Azure Functions; Node.js release schedule).
        (body, fail) => {
            const names = get(body, 'properties.functionAppConfig.runtime.name');
            for (const v of get(body, 'properties.functionAppConfig.runtime.version')) {
                if (names.includes('node') && !['22', '24'].includes(text(v)))
                    fail(`Node ${text(v)} is not a supported Flex runtime (22, 24)`);
            }
        },
        (body, fail) => {
            for (const key of flexForbiddenSiteConfig) {
                if (get(body, `properties.siteConfig.${key}`).length > 0)
                    fail(`siteConfig.${key} is not used on Flex Consumption`);
            }
        },
    ],
    'Microsoft.Web/sites/config': [
        (body, fail) => {
            for (const settings of get(body, 'properties')) {
                if (settings === null || typeof settings !== 'object' || Array.isArray(settings)) continue;
                for (const key of Object.keys(settings)) {
                    if (flexForbiddenAppSettings.includes(key))
                        fail(`app setting ${key} is not supported on Flex Consumption`);
                }
            }
        },
    ],
    'Microsoft.ServiceBus/namespaces/queues': [
        // Duplicate detection window: "from 20 seconds to 7 days" (Service Bus duplicate detection).
        (body, fail) => {
            for (const v of get(body, 'properties.duplicateDetectionHistoryTimeWindow')) {
                const s = durationSeconds(text(v));
                if (!(s >= 20 && s <= 7 * 86_400))
                    fail(`duplicateDetectionHistoryTimeWindow ${text(v)} is outside PT20S–P7D`);
            }
        },
        // Lock duration: at most 5 minutes (Service Bus quotas: "Message lock duration ... maximum 5 minutes").
        (body, fail) => {
            for (const v of get(body, 'properties.lockDuration')) {
                if (!(durationSeconds(text(v)) <= 300)) fail(`lockDuration ${text(v)} exceeds PT5M`);
            }
        },
    ],
    'Microsoft.KeyVault/vaults': [
        // Soft-delete retention: 7 to 90 days (Azure Key Vault soft-delete overview).
        (body, fail) => {
            for (const v of get(body, 'properties.softDeleteRetentionInDays')) {
                if (typeof v === 'number' && (v < 7 || v > 90)) fail(`softDeleteRetentionInDays ${v} is outside 7–90`);
            }
        },
    ],
    'Microsoft.OperationalInsights/workspaces': [
        // PerGB2018 retention: 30 to 730 days (Manage data retention in a Log Analytics workspace).
        (body, fail) => {
            for (const v of get(body, 'properties.retentionInDays')) {
                if (typeof v === 'number' && (v < 30 || v > 730)) fail(`retentionInDays ${v} is outside 30–730`);
            }
        },
    ],
    'Microsoft.DurableTask/schedulers': [
        // SKUs: Consumption or Dedicated (Durable Task Scheduler billing); an empty IP allow-list denies all traffic.
        (body, fail) => {
            for (const v of get(body, 'properties.sku.name')) {
                if (!['Consumption', 'Dedicated'].includes(text(v)))
                    fail(`sku.name ${text(v)} is not Consumption or Dedicated`);
            }
            for (const v of get(body, 'properties.ipAllowlist')) {
                if (Array.isArray(v) && v.length === 0) fail('an empty ipAllowlist denies all traffic');
            }
        },
    ],
};

export function serviceLimitErrors(type: string, body: Value, where: string): string[] {
    const errors: string[] = [];
    for (const option of alternatives(body)) {
        if (option === null || typeof option !== 'object' || Array.isArray(option) || option instanceof Unknown)
            continue;
        for (const rule of rules[type] ?? [])
            rule(option as Record<string, Value>, (m) => errors.push(`${where}: ${m}`));
    }
    return errors;
}
