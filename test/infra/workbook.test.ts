import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { infraDir, repoRoot, template } from './bicepTemplates';

interface WorkbookItem {
    type: number;
    name: string;
    content: { query?: string; title?: string; timeContextFromParameter?: string };
}

const workbook = JSON.parse(readFileSync(join(infraDir, 'app/workbook.json'), 'utf8')) as {
    version: string;
    items: WorkbookItem[];
};
const queries = workbook.items.filter((i) => i.type === 3);

/** Metric names as created in shared/telemetry/pipelineMetrics.ts. */
const metricNames = [
    ...readFileSync(join(repoRoot, 'shared/telemetry/pipelineMetrics.ts'), 'utf8').matchAll(
        /create(?:Counter|Histogram)\('([^']+)'/g,
    ),
].map((m) => m[1]!);

describe('Application Insights workbook', () => {
    it('when the workbook is deployed, then Bicep loads workbook.json as its serialized data', () => {
        expect(workbook.version).toBe('Notebook/1.0');
        expect(template('app/workbook.bicep').source).toMatch(/serializedData: loadTextContent\('workbook\.json'\)/);
    });

    it('when the pipeline emits a metric, then some workbook query charts it', () => {
        expect(metricNames.length).toBeGreaterThanOrEqual(6);
        const text = queries.map((q) => q.content.query ?? '').join('\n');
        expect(metricNames.filter((name) => !text.includes(`name == '${name}'`))).toEqual([]);
    });

    it('when a publisher opens it, then it answers the questions the issue lists', () => {
        const titles = queries.map((q) => q.content.title ?? '').join('\n');
        for (const expected of [
            /source and action/,
            /Qualification outcomes/,
            /Grade distribution/,
            /target and outcome/,
            /End-to-end latency/,
        ]) {
            expect(titles).toMatch(expected);
        }
        for (const q of queries) expect(q.content.timeContextFromParameter).toBe('TimeRange');
    });

    it('when queries group by attributes, then they read only ids and enums, never personal fields', () => {
        const text = queries.map((q) => q.content.query ?? '').join('\n');
        expect(text).not.toMatch(/email|phone|firstName|lastName|company/i);
    });
});
