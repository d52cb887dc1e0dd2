import { type FakeServer, sendJson, startFakeServer } from '../support/fakeServer';

export type FakeTeamsMode = 'ok' | 'throttle' | 'legacy-429' | 'gone';

/**
 * A Teams Workflows webhook: accepts `{ type: 'message', attachments: [adaptive card] }` with 202, rejects a body
 * without attachments with 400, throttles with 429 + Retry-After (`throttle`); a legacy connector answers 200 with
 * the error text (`legacy-429`); a deleted workflow answers 404 (`gone`). Set `mode` to change the behaviour.
 */
export interface FakeTeams {
    server: FakeServer;
    mode: FakeTeamsMode;
}

export async function startFakeTeams(): Promise<FakeTeams> {
    const state = { mode: 'ok' } as FakeTeams;
    state.server = await startFakeServer((req, res) => {
        if (state.mode === 'throttle') return sendJson(res, 429, { error: 'throttled' }, { 'retry-after': '2' });
        if (state.mode === 'gone') return sendJson(res, 404, { error: { code: 'TriggerNotFound' } });
        if (state.mode === 'legacy-429') {
            res.writeHead(200, { 'content-type': 'text/plain' });
            return void res.end(
                'Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP error 429 with ContextId x',
            );
        }
        const card = req.json?.attachments?.[0];
        if (req.json?.type !== 'message' || card?.contentType !== 'application/vnd.microsoft.card.adaptive') {
            return sendJson(res, 400, { error: 'bad payload' });
        }
        res.writeHead(202);
        res.end();
    });
    return state;
}
