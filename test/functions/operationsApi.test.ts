/* eslint-disable @typescript-eslint/require-await -- fakes implement promise-returning ports synchronously */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- jest.mock factories cannot use import
jest.mock('@azure/functions-core', () => require('../fakes/functionsCore'), { virtual: true });

import { HttpRequest } from '@azure/functions';

import { createGetLead } from '../../functions/getLead';
import { createListLeads } from '../../functions/listLeads';
import { createRedeliverLead } from '../../functions/redeliverLead';
import { abandonedClaims } from '../../shared/app/abandonedClaims';
import { leadDetails } from '../../shared/app/leadDetails';
import type { RunState } from '../../shared/domain/index';
import type { RunMonitor } from '../../shared/ports/RunMonitor';
import { FakeStarter, testContext } from '../fakes/fakes';
import { fixture } from './helpers';
import { type Behaviour, pipelineConfig, pipelineHarness } from './pipelineHarness';

const ok: Behaviour = async () => ({ action: 'sent', status: 200 });
const req = (method: string, url: string, params: Record<string, string> = {}) =>
    new HttpRequest({ method, url, params });

async function processedLead(body: string) {
    const h = pipelineHarness(['leadWebhook'], { leadWebhook: ok });
    const leadId = await h.intake(body);
    await h.run(leadId);
    return { h, leadId };
}

describe('operations API', () => {
    it('when a stored lead is requested then it returns status, qualification, score, route, deliveries and source', async () => {
        const { h, leadId } = await processedLead(fixture('https-pascal-campaign.json'));

        const res = await createGetLead(() => ({ ...h.deps, delivery: pipelineConfig.delivery }))(
            req('GET', `http://x/api/leads/${leadId}`, { leadId }),
            testContext('g').context,
        );

        expect(res.status).toBe(200);
        const body = res.jsonBody as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
        expect(body.leadId).toBe(leadId);
        expect(body.status).toBe('delivered');
        expect(body.qualification).toEqual(
            expect.objectContaining({ outcome: 'qualified', reasons: expect.any(Array) }),
        );
        expect(body.score).toEqual(
            expect.objectContaining({
                points: expect.any(Number),
                grade: expect.any(String),
                breakdown: expect.any(Array),
            }),
        );
        expect(body.route.targets.map((t: { target: string }) => t.target)).toContain('leadWebhook');
        expect(body.deliveries).toContainEqual(
            expect.objectContaining({ target: 'leadWebhook', status: 'delivered', attempts: 1 }),
        );
        expect(body.source).toEqual(expect.objectContaining({ kind: expect.any(String) }));
        expect(body.journey).toEqual([expect.objectContaining({ leadId, channel: 'https' })]);
    });

    it('when an unknown lead is requested then it answers 404', async () => {
        const { h } = await processedLead(fixture('https-pascal-campaign.json'));
        const leadId = 'lk-ffffffffffffffffffffffffffffffffffffffff';

        const res = await createGetLead(() => ({ ...h.deps, delivery: pipelineConfig.delivery }))(
            req('GET', `http://x/api/leads/${leadId}`, { leadId }),
            testContext('g').context,
        );

        expect(res.status).toBe(404);
    });

    it('when leads are listed then they come newest first, filtered by status, with 400 for a bad filter', async () => {
        const { h } = await processedLead(fixture('https-pascal-campaign.json'));
        const list = createListLeads(() => h.deps);

        const all = await list(req('GET', 'http://x/api/leads?limit=10'));
        const none = await list(req('GET', 'http://x/api/leads?status=failed'));
        const bad = await list(req('GET', 'http://x/api/leads?status=nope'));

        expect((all.jsonBody as { items: unknown[] }).items).toHaveLength(1);
        expect((none.jsonBody as { items: unknown[] }).items).toHaveLength(0);
        expect(bad.status).toBe(400);
    });

    it('when redelivery is requested then a redelivery orchestration starts for the named target; test leads are refused', async () => {
        const { h, leadId } = await processedLead(fixture('https-pascal-campaign.json'));
        const starter = new FakeStarter();
        const redeliver = createRedeliverLead(() => ({ leads: h.deps.leads, now: h.deps.now, starter }));

        const started = await redeliver(
            req('POST', `http://x/api/leads/${leadId}/redeliver?target=leadWebhook`, { leadId }),
            testContext('r').context,
        );
        const unknownTarget = await redeliver(
            req('POST', `http://x/api/leads/${leadId}/redeliver?target=nope`, { leadId }),
            testContext('r').context,
        );
        const test = await processedLead(fixture('marketplace/https-test-lead.json'));
        const refused = await createRedeliverLead(() => ({ leads: test.h.deps.leads, now: test.h.deps.now, starter }))(
            req('POST', `http://x/api/leads/${test.leadId}/redeliver`, { leadId: test.leadId }),
            testContext('r').context,
        );

        expect(started.status).toBe(202);
        expect(started.jsonBody).toMatchObject({ leadId, targets: ['leadWebhook'] });
        expect([...starter.instances.values()][0]).toMatchObject({ name: 'redeliveryPipeline' });
        expect(unknownTarget.status).toBe(409);
        expect(refused.status).toBe(409);
    });

    it('when every routed target is skipped as not configured then the lead is skipped, not "not routed", and redelivery says why', async () => {
        const h = pipelineHarness([], {});
        const leadId = await h.intake(fixture('https-pascal-campaign.json'));
        await h.run(leadId);
        const redeliver = createRedeliverLead(() => ({
            leads: h.deps.leads,
            now: h.deps.now,
            starter: new FakeStarter(),
        }));

        const lead = await createGetLead(() => ({ ...h.deps, delivery: pipelineConfig.delivery }))(
            req('GET', `http://x/api/leads/${leadId}`, { leadId }),
            testContext('g').context,
        );
        const named = await redeliver(
            req('POST', `http://x/api/leads/${leadId}/redeliver?target=leadWebhook`, { leadId }),
            testContext('r').context,
        );
        const all = await redeliver(
            req('POST', `http://x/api/leads/${leadId}/redeliver`, { leadId }),
            testContext('r').context,
        );

        expect((lead.jsonBody as { status: string }).status).toBe('skipped');
        expect(named).toEqual({
            status: 409,
            jsonBody: {
                error: {
                    code: 'not-deliverable',
                    message: expect.stringMatching(
                        /^Target leadWebhook was routed but skipped: target not configured/u,
                    ),
                },
            },
            headers: { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' },
        });
        expect((all.jsonBody as { error: { message: string } }).error.message).toMatch(/was skipped/u);
    });

    it('when a target is still being delivered then redelivering it answers 409 and two deliveries never run at once', async () => {
        const h = pipelineHarness(['leadWebhook', 'hubspot'], { leadWebhook: ok, hubspot: ok });
        const leadId = await h.intake(fixture('https-pascal-campaign.json'));
        await h.run(leadId);
        const starter = new FakeStarter();
        const redeliver = createRedeliverLead(() => ({ leads: h.deps.leads, now: h.deps.now, starter }));
        const post = (query: string) =>
            redeliver(
                req('POST', `http://x/api/leads/${leadId}/redeliver${query}`, { leadId }),
                testContext('r').context,
            );

        const [first, second] = await Promise.all([post('?target=leadWebhook'), post('?target=leadWebhook')]);
        const other = await post('?target=hubspot');
        const again = await post('?target=leadWebhook');

        expect([first.status, second.status].sort()).toEqual([202, 409]);
        expect(other.status).toBe(202);
        expect(again.status).toBe(409);
        expect(again.jsonBody).toEqual({
            error: {
                code: 'being-delivered',
                message: 'Target leadWebhook is being delivered (pending); try again when that delivery has finished.',
            },
        });
        expect(starter.instances.size).toBe(2);
        expect(h.deps.leads.records.get(leadId)!.status).toBe('delivering');
    });

    it('when every target not delivered is still being delivered then a redelivery without target answers 409', async () => {
        const h = pipelineHarness(['leadWebhook', 'hubspot'], { leadWebhook: ok, hubspot: ok });
        const leadId = await h.intake(fixture('https-pascal-campaign.json'));
        await h.run(leadId);
        const hubspot = h.deps.leads.records.get(leadId)!.deliveries.find((d) => d.target === 'hubspot')!;
        hubspot.status = 'retrying';
        const starter = new FakeStarter();

        const res = await createRedeliverLead(() => ({ leads: h.deps.leads, now: h.deps.now, starter }))(
            req('POST', `http://x/api/leads/${leadId}/redeliver`, { leadId }),
            testContext('r').context,
        );

        expect(res.status).toBe(409);
        expect(res.jsonBody).toMatchObject({
            error: { code: 'being-delivered', message: expect.stringMatching(/hubspot is being delivered/) },
        });
        expect(starter.instances.size).toBe(0);
    });

    describe('claims that outlive their orchestration', () => {
        const delivery = pipelineConfig.delivery;
        const claimedAt = '2026-11-21T06:00:04.000Z';
        /** The claim's age limit: the delivery deadline plus the 10-minute margin. */
        const limitMs = (delivery.deadlineMinutes + 10) * 60_000;
        const after = (ms: number) => new Date(Date.parse(claimedAt) + ms);

        /** A lead whose hubspot row was left `retrying` by a run that crashed (no outcome ever recorded). */
        async function abandonedClaim() {
            const h = pipelineHarness(['leadWebhook', 'hubspot'], { leadWebhook: ok, hubspot: ok });
            const leadId = await h.intake(fixture('https-pascal-campaign.json'));
            await h.run(leadId);
            const record = h.deps.leads.records.get(leadId)!;
            const hubspot = record.deliveries.find((d) => d.target === 'hubspot')!;
            Object.assign(hubspot, { status: 'retrying', updatedAt: claimedAt, claimedBy: 'redeliver-old' });
            record.status = 'delivering';
            return { h, leadId, record };
        }

        function redeliverAt(h: ReturnType<typeof pipelineHarness>, leadId: string, now: Date, query = '') {
            const starter = new FakeStarter();
            const redeliver = createRedeliverLead(() => ({
                leads: h.deps.leads,
                now: () => now,
                starter,
                delivery,
            }));
            return {
                starter,
                response: redeliver(
                    req('POST', `http://x/api/leads/${leadId}/redeliver${query}`, { leadId }),
                    testContext('r').context,
                ),
            };
        }

        it('when a claim is older than the delivery deadline plus the margin then redelivery claims it again and the history says so', async () => {
            const { h, leadId } = await abandonedClaim();

            const { starter, response } = redeliverAt(h, leadId, after(limitMs + 1000), '?target=hubspot');
            const res = await response;

            expect(res.status).toBe(202);
            const instanceId = (res.jsonBody as { instanceId: string }).instanceId;
            expect(starter.instances.has(instanceId)).toBe(true);
            const record = h.deps.leads.records.get(leadId)!;
            expect(record.deliveries.find((d) => d.target === 'hubspot')).toMatchObject({
                status: 'pending',
                claimedBy: instanceId,
                updatedAt: after(limitMs + 1000).toISOString(),
            });
            expect(record.history.filter((e) => e.kind === 'claim-expired')).toEqual([
                {
                    at: after(limitMs + 1000).toISOString(),
                    kind: 'claim-expired',
                    detail: {
                        target: 'hubspot',
                        status: 'retrying',
                        since: claimedAt,
                        reason: 'deadline-passed',
                        claimedBy: 'redeliver-old',
                    },
                },
            ]);
        });

        it('when every open target has an expired claim then a redelivery without target takes them', async () => {
            const { h, leadId } = await abandonedClaim();

            const res = await redeliverAt(h, leadId, after(limitMs + 1000)).response;

            expect(res.status).toBe(202);
            expect(res.jsonBody).toMatchObject({ targets: ['hubspot'] });
        });

        it('when a claim is younger than the deadline plus the margin then redelivery still answers 409', async () => {
            const { h, leadId } = await abandonedClaim();

            const { starter, response } = redeliverAt(h, leadId, after(limitMs - 1000), '?target=hubspot');
            const res = await response;
            const withoutTarget = await redeliverAt(h, leadId, after(limitMs - 1000)).response;

            expect(res.status).toBe(409);
            expect(res.jsonBody).toMatchObject({
                error: { message: expect.stringMatching(/hubspot is being delivered/) },
            });
            expect(withoutTarget.status).toBe(409);
            expect(starter.instances.size).toBe(0);
            expect(h.deps.leads.records.get(leadId)!.history.some((e) => e.kind === 'claim-expired')).toBe(false);
        });

        it('when the redelivery of an expired claim cannot start then the claim is given back still expired', async () => {
            const { h, leadId } = await abandonedClaim();
            const now = after(limitMs + 1000);
            const starter = new FakeStarter();
            starter.start = async () => {
                throw new Error('durable client unavailable');
            };
            const redeliver = createRedeliverLead(() => ({ leads: h.deps.leads, now: () => now, starter, delivery }));

            await expect(
                redeliver(
                    req('POST', `http://x/api/leads/${leadId}/redeliver?target=hubspot`, { leadId }),
                    testContext('r').context,
                ),
            ).rejects.toThrow('durable client unavailable');
            const again = await redeliverAt(h, leadId, now, '?target=hubspot').response;

            expect(h.deps.leads.records.get(leadId)!.history.map((e) => e.kind)).toContain('redelivery-not-started');
            expect(again.status).toBe(202);
        });

        it('when a claim expired then the view shows the target and the lead as stalled, a fresh claim as in progress', async () => {
            const { record } = await abandonedClaim();
            const view = async (now: Date) => leadDetails(record, [], await abandonedClaims(record, { now, delivery }));
            const hubspotOf = (v: Record<string, unknown>) =>
                (v.deliveries as { target: string }[]).find((d) => d.target === 'hubspot');

            const stale = await view(after(limitMs + 1000));
            const fresh = await view(after(limitMs - 1000));

            expect(stale.status).toBe('stalled');
            expect(hubspotOf(stale)).toMatchObject({
                status: 'stalled',
                claimStatus: 'retrying',
                stalledReason: 'deadline-passed',
            });
            expect(fresh.status).toBe('delivering');
            expect(hubspotOf(fresh)).toMatchObject({ status: 'retrying' });
            expect(hubspotOf(fresh)).not.toHaveProperty('claimStatus');
            expect(leadDetails(record).status).toBe('delivering');
        });

        it('when a lead has been delivering for longer than the deadline plus the margin then the list shows it stalled and status=stalled finds it', async () => {
            const { h, leadId, record } = await abandonedClaim();
            record.updatedAt = claimedAt; // the run set `delivering` then, and nothing finished it
            const listAt = (now: Date, query: string) =>
                createListLeads(() => ({ leads: h.deps.leads, now: () => now, delivery }))(
                    req('GET', `http://x/api/leads?${query}`),
                ).then((res) => (res.jsonBody as { items: { leadId: string; status: string }[] }).items);

            const later = after(limitMs + 1000);
            const earlier = after(limitMs - 1000);

            expect(await listAt(later, 'limit=10')).toEqual([expect.objectContaining({ leadId, status: 'stalled' })]);
            expect(await listAt(later, 'status=stalled')).toHaveLength(1);
            expect(await listAt(later, 'status=delivering')).toHaveLength(0);
            expect(await listAt(earlier, 'limit=10')).toEqual([expect.objectContaining({ status: 'delivering' })]);
            expect(await listAt(earlier, 'status=stalled')).toHaveLength(0);
            expect(await listAt(earlier, 'status=delivering')).toHaveLength(1);
        });

        it('when an expired claim is read through GET /api/leads/{id} then the handler reports it as stalled', async () => {
            const { h, leadId } = await abandonedClaim();
            const getLead = createGetLead(() => ({ leads: h.deps.leads, now: () => after(limitMs + 1000), delivery }));

            const res = await getLead(req('GET', `http://x/api/leads/${leadId}`, { leadId }), testContext('g').context);

            expect(res.status).toBe(200);
            expect((res.jsonBody as { status: string }).status).toBe('stalled');
        });

        describe('when the run that holds a young claim is asked for its state', () => {
            const young = after(limitMs - 60_000);
            /** `run` for the run itself, `delivery` for its sub-orchestration of the target (`<run>:<target>`). */
            const runs = (run: RunState | Error, delivery: RunState = 'ended'): RunMonitor & { asked: string[] } => {
                const asked: string[] = [];
                return {
                    asked,
                    stateOf: async (instanceId) => {
                        asked.push(instanceId);
                        if (instanceId.includes(':')) return delivery;
                        if (run instanceof Error) throw run;
                        return run;
                    },
                };
            };
            const redeliverWith = (h: ReturnType<typeof pipelineHarness>, leadId: string, monitor: RunMonitor) => {
                const starter = new FakeStarter();
                const { context, lines } = testContext('r');
                const redeliver = createRedeliverLead(() => ({
                    leads: h.deps.leads,
                    now: () => young,
                    starter,
                    delivery,
                    runs: monitor,
                }));
                return {
                    starter,
                    lines,
                    response: redeliver(
                        req('POST', `http://x/api/leads/${leadId}/redeliver?target=hubspot`, { leadId }),
                        context,
                    ),
                };
            };

            it('when that run has ended then redelivery takes the claim at once and the history says why', async () => {
                const { h, leadId } = await abandonedClaim();
                const monitor = runs('ended');

                const res = await redeliverWith(h, leadId, monitor).response;

                expect(res.status).toBe(202);
                expect(monitor.asked).toEqual(['redeliver-old', 'redeliver-old:hubspot']);
                const expired = h.deps.leads.records.get(leadId)!.history.filter((e) => e.kind === 'claim-expired');
                expect(expired).toHaveLength(1);
                expect(expired[0]!.detail).toMatchObject({ target: 'hubspot', reason: 'run-ended' });
            });

            // Every row has all three values: a shorter row would make jest pass `done` as the third argument.
            it.each<[string, RunState | Error, RunState]>([
                ['still running', 'running', 'ended'],
                ['not found (its claim may be younger than its start)', 'unknown', 'ended'],
                ['not readable', new Error('durable client unavailable'), 'ended'],
                ['terminated but its delivery of the target still runs', 'ended', 'running'],
            ])('when that run is %s then the claim is kept', async (_, state, delivery) => {
                const { h, leadId } = await abandonedClaim();

                const { starter, lines, response } = redeliverWith(h, leadId, runs(state, delivery));
                const res = await response;

                expect(res.status).toBe(409);
                expect(starter.instances.size).toBe(0);
                if (state instanceof Error) expect(lines.join('\n')).toMatch(/Run state not available/);
            });

            it('when that run has ended then GET /api/leads/{id} shows the target stalled with the reason', async () => {
                const { h, leadId } = await abandonedClaim();
                const getLead = createGetLead(() => ({
                    leads: h.deps.leads,
                    now: () => young,
                    delivery,
                    runs: runs('ended'),
                }));

                const res = await getLead(
                    req('GET', `http://x/api/leads/${leadId}`, { leadId }),
                    testContext('g').context,
                );

                const body = res.jsonBody as { status: string; deliveries: { target: string }[] };
                expect(body.status).toBe('stalled');
                expect(body.deliveries.find((d) => d.target === 'hubspot')).toMatchObject({
                    status: 'stalled',
                    claimStatus: 'retrying',
                    stalledReason: 'run-ended',
                });
            });
        });
    });
});
