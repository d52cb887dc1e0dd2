/*
 * A stand-in `az` that behaves like Azure CLI 2.54 or later for the commands the postdeploy hooks use. State comes
 * from the JSON file in FAKE_AZ_STATE and every call is appended to its `calls`. Rules, each from the CLI:
 * - Not signed in: "Please run 'az login' to setup account." on stderr, exit 1 (azure-cli core, profile).
 * - `--subscription` naming a subscription the account cannot see: "Subscription '<id>' not found." exit 1.
 * - `functionapp function keys set` no longer returns the key: since 2.54 its output is redacted, with a warning to
 *   use `keys list` (azure-cli PR 27611, "Redact key value output on keys set"); `keys list` returns name → value.
 * - `--query` is JMESPath (the jmespath package, the library the CLI's own JMESPath port follows); `-o tsv` prints
 *   scalars bare, null as an empty line; `-o none` prints nothing.
 * - Unknown arguments or missing required ones: exit 2 with the argparse message, as the CLI does.
 */
const { readFileSync, writeFileSync } = require('node:fs');
const jmespath = require('jmespath');

const statePath = process.env.FAKE_AZ_STATE;
const state = JSON.parse(readFileSync(statePath, 'utf8'));
const args = process.argv.slice(2);
state.calls.push(args);
const save = () => writeFileSync(statePath, JSON.stringify(state, null, 2));

function fail(message, code = 1) {
    save();
    process.stderr.write(`${message}\n`);
    process.exit(code);
}

const commands = {
    'account show': { required: [], optional: [] },
    'functionapp function show': { required: ['-g', '-n', '--function-name'], optional: [] },
    'functionapp function keys list': { required: ['-g', '-n', '--function-name'], optional: [] },
    'functionapp function keys set': {
        required: ['-g', '-n', '--function-name', '--key-name'],
        optional: ['--key-value'],
    },
};
const aliases = { '--resource-group': '-g', '--name': '-n', '--output': '-o' };

const words = [];
let i = 0;
while (i < args.length && !args[i].startsWith('-')) words.push(args[i++]);
const name = words.join(' ');
const spec = commands[name];
if (!spec) fail(`az: '${name}' is not in the stand-in (add it with the CLI's real behaviour)`, 2);
const options = {};
for (; i < args.length; i += 2) {
    const flag = aliases[args[i]] ?? args[i];
    if (![...spec.required, ...spec.optional, '--subscription', '--query', '-o'].includes(flag)) {
        fail(`unrecognized arguments: ${args[i]}`, 2);
    }
    if (args[i + 1] === undefined) fail(`argument ${args[i]}: expected one argument`, 2);
    options[flag] = args[i + 1];
}
const missing = spec.required.filter((f) => options[f] === undefined);
if (missing.length > 0) fail(`the following arguments are required: ${missing.join(', ')}`, 2);

if (!state.loggedIn) fail("Please run 'az login' to setup account.");
const subscription = options['--subscription'] ?? state.defaultSubscription;
if (!state.subscriptions.includes(subscription)) {
    fail(`Subscription '${subscription}' not found. Check the spelling and casing and try again.`);
}

function output(value) {
    const queried = options['--query'] === undefined ? value : jmespath.search(value, options['--query']);
    const format = options['-o'] ?? 'json';
    save();
    if (format === 'none') return;
    if (format === 'tsv') {
        const line = (v) =>
            v === null || v === undefined ? '' : typeof v === 'object' ? Object.values(v).join('\t') : String(v);
        process.stdout.write(`${Array.isArray(queried) ? queried.map(line).join('\n') : line(queried)}\n`);
    } else process.stdout.write(`${JSON.stringify(queried, null, 2)}\n`);
}

if (name === 'account show') {
    output({ id: subscription, name: 'Publisher subscription', tenantId: state.tenantId, user: { type: 'user' } });
    process.exit(0);
}

const app = state.apps[`${options['-g']}/${options['-n']}`];
if (!app)
    fail(
        `(ResourceNotFound) The Resource 'Microsoft.Web/sites/${options['-n']}' under resource group '${options['-g']}' was not found.`,
        3,
    );
const fn = app.functions[options['--function-name']];
if (!fn || (app.notIndexedFor ?? 0) > 0) {
    if (app.notIndexedFor) app.notIndexedFor -= 1;
    fail('(NotFound) Error retrieving function.', 3);
}
if (fn.listFails && name !== 'functionapp function show') fail(fn.listFails, 1);

if (name === 'functionapp function show') {
    output({
        name: `${options['-n']}/${options['--function-name']}`,
        invokeUrlTemplate: fn.invokeUrlTemplate,
        isDisabled: false,
    });
} else if (name === 'functionapp function keys list') {
    output({ ...fn.keys });
} else {
    const key = options['--key-name'];
    fn.keys[key] = options['--key-value'] ?? state.nextGeneratedKey;
    process.stderr.write('WARNING: Keys have been redacted. Use `az functionapp function keys list` to view.\n');
    output({
        id: `/subscriptions/${subscription}/.../functions/${options['--function-name']}/keys/${key}`,
        name: key,
        value: null,
    });
}
