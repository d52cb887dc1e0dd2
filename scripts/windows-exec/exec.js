#!/usr/bin/env node
// `npm start` is `npm run build && exec node …`. A POSIX shell runs its `exec` builtin, so node replaces the shell
// and a signal sent to npm (which npm passes to its child only) reaches the pipeline; dash, Debian's sh, would
// otherwise swallow SIGINT. cmd.exe, npm's shell on Windows, has no exec and finds this bin in node_modules/.bin
// instead: it runs the rest of the line, passes Ctrl-C/Ctrl-Break on, and exits with the command's exit code.
'use strict';
const { spawn } = require('node:child_process');

const [command, ...args] = process.argv.slice(2);
if (command === undefined) {
    console.error('exec: no command given');
    process.exit(2);
}
const child = spawn(command, args, { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM', 'SIGBREAK']) {
    process.on(signal, () => child.kill(signal === 'SIGBREAK' ? 'SIGTERM' : signal));
}
child.on('error', (err) => {
    console.error(`exec: ${command}: ${err.message}`);
    process.exit(127);
});
child.on('exit', (code, signal) => process.exit(code ?? (signal === null ? 0 : 1)));
