import { type FakeServer, sendJson, startFakeServer } from '../support/fakeServer';

export type FakeTeamsMode = 'ok' | 'throttle' | 'gone';

/**
 * A Teams Workflows webhook ("When a Teams webhook request is received" → "Post card in a chat or channel"), from the
 * Teams platform docs:
 *
 * - The body is `{ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content }] }`
 *   with an `AdaptiveCard` (Send adaptive cards using an incoming webhook); `Action.Submit` is not supported there;
 *   a message is at most 28 KB (Teams message size limit). Anything else is a 400.
 * - The trigger answers 202 Accepted: the flow runs afterwards (Power Automate HTTP trigger).
 * - Rate limiting for connectors: 4 requests per 1 s, 60 per 30 s, 100 per hour, 150 per 2 hours, 1,800 per day on one
 *   webhook, counted in fixed windows ("a fixed-rate window and incremental counter"; the docs do not say where a
 *   window starts, here on the clock's boundaries); past any of them a 429 with `Retry-After` (`throttled` counts).
 * - A deleted workflow answers 404; `mode: 'throttle'` answers 429 to everything.
 */
export interface FakeTeams {
    server: FakeServer;
    mode: FakeTeamsMode;
    throttled: number;
    /** Cards accepted, in order, and when (epoch ms). */
    cards: unknown[];
    acceptedAt: number[];
}

const windows: [seconds: number, max: number][] = [
    [1, 4],
    [30, 60],
    [3600, 100],
    [7200, 150],
    [86_400, 1800],
];
const maxBytes = 28 * 1024;

export async function startFakeTeams(): Promise<FakeTeams> {
    const state = { mode: 'ok', throttled: 0, cards: [], acceptedAt: [] } as unknown as FakeTeams;
    const accepted = state.acceptedAt;
    state.server = await startFakeServer((req, res) => {
        if (state.mode === 'throttle') return sendJson(res, 429, { error: 'throttled' }, { 'retry-after': '2' });
        if (state.mode === 'gone') return sendJson(res, 404, { error: { code: 'TriggerNotFound' } });
        const now = Date.now();
        const over = windows.find(([seconds, max]) => {
            const start = Math.floor(now / (seconds * 1000)) * seconds * 1000;
            return accepted.filter((t) => t >= start).length >= max;
        });
        if (over) {
            state.throttled += 1;
            const start = Math.floor(now / (over[0] * 1000)) * over[0] * 1000;
            const wait = Math.ceil((start + over[0] * 1000 - now) / 1000);
            return sendJson(res, 429, { error: 'throttled' }, { 'retry-after': String(wait) });
        }
        const card = req.json?.attachments?.[0];
        const actions = (card?.content?.actions ?? []) as { type?: string }[];
        if (
            req.json?.type !== 'message' ||
            card?.contentType !== 'application/vnd.microsoft.card.adaptive' ||
            card?.content?.type !== 'AdaptiveCard' ||
            actions.some((a) => a.type === 'Action.Submit') ||
            Buffer.byteLength(req.body) > maxBytes
        ) {
            return sendJson(res, 400, { error: 'bad payload' });
        }
        accepted.push(now);
        state.cards.push(card.content);
        res.writeHead(202);
        res.end();
    });
    return state;
}
