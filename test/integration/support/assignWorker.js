// One process of the concurrency test: assigns its leads all at once with the compiled app's own code against the
// shared Azurite, then prints what each lead got. Arguments: connection string, table prefix, first lead, count,
// the assignment section (JSON), the orchestration time.
const path = require('node:path');

const dist = path.resolve(__dirname, '../../../dist/shared');
const { createTableAssignmentStore } = require(`${dist}/adapters/tables/createTableAssignmentStore`);
const { createTableClientFactory } = require(`${dist}/adapters/tables/tableClients`);
const { assignLead } = require(`${dist}/app/assignLead`);
const { assignmentConfigSchema } = require(`${dist}/domain/index`);

async function main() {
    const [connectionString, prefix, first, count, configJson, now] = process.argv.slice(2);
    const tables = createTableClientFactory({ connectionString }, prefix);
    const assignments = createTableAssignmentStore(() => tables('Assignments'));
    const config = assignmentConfigSchema.parse(JSON.parse(configJson));
    const silent = { debug() {}, info() {}, warn() {}, error() {} };
    const leads = Array.from({ length: Number(count) }, (_, i) => `lk-${String(Number(first) + i).padStart(4, '0')}`);
    const results = await Promise.all(
        leads.map(async (leadId) => {
            const a = await assignLead(
                { assignments, config, logger: silent },
                { leadId, queue: 'emea', ruleId: 'r', now: new Date(now), round: 0 },
            );
            return [leadId, a.personId ?? null];
        }),
    );
    process.stdout.write(`${JSON.stringify(Object.fromEntries(results))}\n`);
}

main().catch((err) => {
    process.stderr.write(`${err.stack}\n`);
    process.exit(1);
});
