import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { functionNames } from '../../shared/names';
import { repoRoot, resources, template, unquote, variable } from './bicepTemplates';
import { type Alt, resourceBodies } from './bicepValues';

interface Criterion {
    metricNamespace: string;
    metricName: string;
    threshold: number | Alt;
    timeAggregation: string;
    operator: string;
}

interface Rule {
    properties: { windowSize: string; evaluationFrequency: string; criteria: { allOf: Criterion[] } };
}

const alerts = template('app/alerts.bicep');
const main = template('main.bicep');

function body(symbol: string): Rule[] {
    const r = resources(alerts).find((x) => x.symbol === symbol)!;
    return resourceBodies(alerts, r.node) as unknown as Rule[];
}

/**
 * Registrations in functions/*.ts by trigger kind: app.http, app.timer, df.app.orchestration, … (`operationsRoute`
 * is the operations API's `app.http`).
 */
function registrations(): { name: string; kind: string }[] {
    const dir = join(repoRoot, 'functions');
    return readdirSync(dir).flatMap((file) => {
        const source = readFileSync(join(dir, file), 'utf8');
        return [
            ...source.matchAll(
                /\b(app\.http|operationsRoute|app\.timer|app\.serviceBusQueue|df\.app\.orchestration|df\.app\.activity)\(\s*(?:functionNames|durableNames)\.(\w+)/g,
            ),
        ].map((m) => ({
            kind: m[1] === 'operationsRoute' ? 'app.http' : m[1]!,
            name: functionNames[m[2] as keyof typeof functionNames],
        }));
    });
}

describe('alert rules', () => {
    it("when no lead arrives for N days (1..30), then a metric alert on the sweeper's hours-since-last-lead fires past N x 24, not a log alert over N days", () => {
        const [rule] = body('noLeadAlert') as [Rule];
        const criterion = rule.properties.criteria.allOf[0]!;
        expect(criterion.metricNamespace).toBe('azure.applicationinsights');
        expect(criterion.metricName).toBe('leads.hours_since_last_lead');
        // The threshold for each NO_LEAD_ALERT_DAYS main.bicep admits: the default 7 and the bounds 1 and 30.
        expect((criterion.threshold as Alt).options.map(Number).sort((a, b) => a - b)).toEqual([24, 168, 720]);
        expect(criterion.timeAggregation).toBe('Minimum');
        expect(rule.properties.windowSize).toBe('PT1H');
        expect(alerts.source).not.toMatch(/leads\.received/);
        // The metric is the one the sweeper records (shared/telemetry).
        expect(readFileSync(join(repoRoot, 'shared/telemetry/pipelineMetrics.ts'), 'utf8')).toContain(
            "createHistogram('leads.hours_since_last_lead'",
        );
        expect(readFileSync(join(repoRoot, 'functions/stalledLeadSweeper.ts'), 'utf8')).toMatch(
            /await reportLeadSilence\(d\)/,
        );
    });

    it('when one invocation fails, then the function-failures rule counts it in one evaluation only (window = frequency)', () => {
        const rules = body('logAlertRules');
        for (const rule of rules) expect(rule.properties.windowSize).toBe(rule.properties.evaluationFrequency);
    });

    it('when a Service Bus trigger or an activity fails and is retried by design, then function-failures does not count it; HTTP, timer and orchestration failures it does', () => {
        const listed = variable(main, 'functionFailureNames').namedChildren.map(unquote).sort();
        const final = registrations()
            .filter((r) => ['app.http', 'app.timer', 'df.app.orchestration'].includes(r.kind))
            .map((r) => r.name)
            .sort();
        expect(listed).toEqual(final);
        const retried = registrations().filter((r) => ['app.serviceBusQueue', 'df.app.activity'].includes(r.kind));
        expect(retried.map((r) => r.name)).toEqual(expect.arrayContaining(['leadEventStarter', 'deliverToTarget']));
        expect(alerts.source).toMatch(
            /query: 'requests \| where success == false and name in \(\$\{functionFailureFilter\}\)/,
        );
        expect(alerts.source).toMatch(
            /var functionFailureFilter = join\(map\(functionFailureNames, name => '"\$\{name\}"'\), ', '\)/,
        );
    });

    it('when the marketplace sends a blank lead, then a log alert counts the blank outcome the decision records', () => {
        const rules = body('logAlertRules') as unknown as { name?: string }[];
        expect(alerts.source).toMatch(/name: 'blank-leads'/);
        expect(alerts.source).toContain(
            'customMetrics | where name == "leads.outcome" and tostring(customDimensions.outcome) == "blank"',
        );
        expect(rules.length).toBeGreaterThanOrEqual(5);
        // The outcome the alert counts is the one the domain gives a blank lead, recorded on the leads.outcome counter.
        expect(readFileSync(join(repoRoot, 'shared/telemetry/pipelineMetrics.ts'), 'utf8')).toContain(
            "createCounter('leads.outcome'",
        );
        expect(readFileSync(join(repoRoot, 'shared/domain/qualify.ts'), 'utf8')).toMatch(/'blank'/);
    });

    it('when lead events stay in the dead-letter queue (the handler is not parking them), then the dead-letter alert fires on the lowest count of 15 minutes', () => {
        const [rule] = body('deadLetterAlert') as [Rule];
        const criterion = rule.properties.criteria.allOf[0]!;
        expect(criterion.metricName).toBe('DeadletteredMessages');
        expect(criterion.timeAggregation).toBe('Minimum');
        expect(criterion.operator).toBe('GreaterThan');
        expect(criterion.threshold).toBe(0);
        expect(rule.properties.windowSize).toBe('PT15M');
        expect(alerts.source).toMatch(/have waited in the \$\{leadEventsQueueName\} dead-letter queue for 15 minutes/);
    });
});
