import { join } from 'node:path';

import { type StartedHost, startHost, waitFor } from '../../support/host';

const APP = join(__dirname, '../../apps/durable-basic');

/** Runs the `chain` orchestration (two activities) to completion and returns the host's log. */
async function runChain(host: StartedHost): Promise<string> {
    const started = await fetch(`${host.baseUrl}/api/orchestrators/chain`, {
        method: 'POST',
        body: JSON.stringify({ cities: ['Tokyo', 'Osaka'] }),
    });
    expect(started.status).toBe(202);
    const { statusQueryGetUri } = (await started.json()) as { statusQueryGetUri: string };
    const status = async () =>
        ((await (await fetch(statusQueryGetUri)).json()) as { runtimeStatus?: string }).runtimeStatus;
    await waitFor(async () => (await status()) === 'Completed', 20_000, 'the chain to complete');
    const activityLines = () => host.logs().match(/Executed 'Functions\.hello' \(Succeeded/gu) ?? [];
    await waitFor(() => activityLines().length === 2, 5_000, 'both activity lines');
    return host.logs();
}

const episodeLines = (logs: string) => logs.match(/DEBUG Executed 'Functions\.chain' \(Succeeded/gu) ?? [];

describe('orchestrator episodes in the host log', () => {
    let host: StartedHost | undefined;

    afterEach(async () => {
        await host?.stop();
        host = undefined;
    });

    it('when the log level is debug then every orchestrator episode has an Executed line, so it can be counted', async () => {
        host = await startHost({
            appDir: APP,
            storage: 'memory',
            env: { DURABLE_HUB: 'EpisodeLogHub', LOCAL_HOST_LOG_LEVEL: 'debug' },
        });
        await runChain(host);
        // One episode to start, then one per activity result: three for a chain of two.
        await waitFor(() => episodeLines(host!.logs()).length >= 3, 5_000, 'three episode lines');
        expect(episodeLines(host.logs())).toHaveLength(3);
    });

    it('when the log level is the default then episodes stay out of the log', async () => {
        host = await startHost({ appDir: APP, storage: 'memory', env: { DURABLE_HUB: 'EpisodeLogHub2' } });
        const logs = await runChain(host);
        expect(logs).not.toMatch(/Executed 'Functions\.chain'/u);
    });
});
