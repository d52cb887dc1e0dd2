import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { costTable, fixed, monthlyCost, perLead } from '../../scripts/costEstimate';
import { repoRoot } from './bicepTemplates';

/** Table rows as trimmed cells, separator rows dropped (Prettier pads the columns in the doc). */
function cells(markdown: string): string[][] {
    return markdown
        .split('\n')
        .filter((l) => l.trim().startsWith('|') && !/^\|[\s|:-]+\|$/.test(l.trim()))
        .map((l) =>
            l
                .trim()
                .replace(/^\||\|$/g, '')
                .split('|')
                .map((c) => c.trim()),
        );
}

describe('monthly cost estimate', () => {
    it('when docs/deploy.md shows the estimate, then it is exactly what scripts/costEstimate.ts computes', () => {
        const doc = readFileSync(join(repoRoot, 'docs/deploy.md'), 'utf8');
        const table = /<!-- cost-table:start -->([\s\S]*?)<!-- cost-table:end -->/.exec(doc)?.[1] ?? '';
        expect(cells(table)).toEqual(cells(costTable()));
    });

    it('when an execution takes 0.2 s, then Flex Consumption bills it the 1 s minimum at the instance memory', () => {
        const c = monthlyCost(1_000, 2048);
        expect(perLead.secondsPerExecution).toBeLessThan(1);
        expect(c.gbSeconds).toBe(c.executions * 1 * 2);
        expect(monthlyCost(1_000, 512).gbSeconds).toBe(c.gbSeconds / 4);
    });

    it('when no lead arrives, then the timers and the Durable queue polling still cost, and Service Bus its base fee', () => {
        const idle = monthlyCost(0, 2048);
        expect(idle.executions).toBe(fixed.sweeperExecutions);
        expect(idle.storage).toBeGreaterThan(5); // 13 M queue reads a month at 1 s polling
        expect(idle.serviceBus).toBeCloseTo(9.86);
    });

    it('when volume grows to 100,000 leads, then execution time past the free grant is charged and 512 MB costs a quarter of it', () => {
        const big = monthlyCost(100_000, 2048);
        const small = monthlyCost(100_000, 512);
        expect(big.executionTimeCost).toBeGreaterThan(20);
        expect(small.executionTimeCost).toBeLessThan(big.executionTimeCost / 4);
        expect(cells(costTable())[0]).toEqual(['per month', '100 leads', '1,000 leads', '100,000 leads']);
    });
});
