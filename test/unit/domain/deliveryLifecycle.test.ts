import {
    abandonedBefore,
    type AbandonReason,
    callsInDoubt,
    chooseForRedelivery,
    claimExpired,
    claimExpiredEntries,
    claimRows,
    decidedRows,
    type DeliveryRecord,
    endedWithItsRun,
    type LeadDecision,
    type LeadRecord,
    leadStatuses,
    leadStatusOf,
    listedStatus,
    listedStatuses,
    mergeRunOutcomes,
    releasedRows,
    rowAfterAttempt,
    rowBeforeCall,
    skippedRows,
    statusAfterDecision,
    viewedStatus,
} from '../../../shared/domain';

const at = '2026-11-21T06:00:05.000Z';
const run = 'lead-lk-1';
const row = (
    target: string,
    status: DeliveryRecord['status'],
    extra: Partial<DeliveryRecord> = {},
): DeliveryRecord => ({
    target,
    role: 'outreach',
    status,
    attempts: 0,
    updatedAt: at,
    ...extra,
});
const record = (deliveries: DeliveryRecord[], extra: Partial<LeadRecord> = {}): LeadRecord => ({
    leadId: 'lk-1',
    status: 'delivering',
    lead: {} as LeadRecord['lead'],
    decision: {} as LeadDecision,
    deliveries,
    history: [],
    receivedAt: at,
    updatedAt: at,
    rawRef: 'table',
    ...extra,
});
const minutes = (n: number) => n * 60_000;

describe('statuses', () => {
    it('when the list filter is offered then stalled stands right after delivering and every lead status but erased is there', () => {
        expect(listedStatuses).toEqual([
            'received',
            'processing',
            'delivering',
            'stalled',
            'delivered',
            'partially-delivered',
            'failed',
            'destination-validated',
            'blank',
            'not-routed',
            'skipped',
        ]);
        expect(listedStatuses.filter((s) => s !== 'stalled')).toEqual(leadStatuses.filter((s) => s !== 'erased'));
    });
});

describe('decision', () => {
    it('when a routed target is enabled then its row is pending and claimed by the deciding run', () => {
        const rows = decidedRows(
            [
                { target: 'crm', role: 'outreach', matchedRules: ['r'] },
                { target: 'off', role: 'notify', matchedRules: ['r'] },
                { target: 'dnc', role: 'outreach', matchedRules: ['r'], skippedReason: 'do-not-contact' },
            ],
            new Set(['crm', 'dnc']),
            run,
            at,
        );

        expect(rows).toEqual([
            { target: 'crm', role: 'outreach', status: 'pending', attempts: 0, updatedAt: at, claimedBy: run },
            {
                target: 'off',
                role: 'notify',
                status: 'skipped',
                attempts: 0,
                skippedReason: 'target is not enabled',
                updatedAt: at,
            },
            {
                target: 'dnc',
                role: 'outreach',
                status: 'skipped',
                attempts: 0,
                skippedReason: 'do-not-contact',
                updatedAt: at,
            },
        ]);
    });

    it('when the lead is a test or blank lead then it ends destination-validated or blank and every row is skipped, claimed by none', () => {
        const rows = [row('crm', 'pending', { claimedBy: run }), row('dnc', 'skipped', { skippedReason: 'dnc' })];

        expect(statusAfterDecision('test', rows)).toBe('destination-validated');
        expect(statusAfterDecision('blank', rows)).toBe('blank');
        expect(skippedRows(rows, 'test lead')).toEqual([
            { ...rows[0], status: 'skipped', skippedReason: 'test lead', claimedBy: undefined },
            { ...rows[1], claimedBy: undefined },
        ]);
    });

    it('when no row is to be delivered then the lead ends not-routed (none chosen) or skipped (all skipped), else it goes on', () => {
        expect(statusAfterDecision('qualified', [])).toBe('not-routed');
        expect(statusAfterDecision('qualified', [row('a', 'skipped')])).toBe('skipped');
        expect(statusAfterDecision('qualified', [row('a', 'skipped'), row('b', 'pending')])).toBeUndefined();
    });
});

describe('attempt', () => {
    const attempt = (result: Parameters<typeof rowAfterAttempt>[1]['result']) => ({
        target: 'crm',
        role: 'outreach',
        runId: run,
        at,
        result,
    });

    it('when an attempt delivers then the row is delivered, counted, with its record id and no claim', () => {
        const current = row('crm', 'retrying', { attempts: 2, lastError: 'x', claimedBy: run, etag: 'e1' });
        expect(
            rowAfterAttempt(current, attempt({ outcome: 'delivered', externalId: 'rec-1', httpStatus: 200 })),
        ).toEqual({
            target: 'crm',
            role: 'outreach',
            status: 'delivered',
            attempts: 3,
            externalId: 'rec-1',
            lastError: undefined,
            lastHttpStatus: 200,
            updatedAt: at,
            deliveredAt: at,
            claimedBy: undefined,
            etag: 'e1',
        });
    });

    it('when an attempt fails transiently then the row is retrying and stays this run’s claim from the attempt on', () => {
        const next = rowAfterAttempt(
            row('crm', 'pending', { externalId: 'old' }),
            attempt({ outcome: 'transient', error: 'e', httpStatus: 503 }),
        );
        expect(next).toMatchObject({
            status: 'retrying',
            attempts: 1,
            claimedBy: run,
            updatedAt: at,
            lastError: 'e',
            externalId: 'old',
        });
    });

    it('when an attempt fails permanently then the row is failed at once and free for a redelivery', () => {
        const next = rowAfterAttempt(undefined, attempt({ outcome: 'permanent', error: 'bad', httpStatus: 400 }));
        expect(next).toMatchObject({ status: 'failed', attempts: 1, claimedBy: undefined, lastHttpStatus: 400 });
    });
});

describe('end of a run', () => {
    it('when the run gives up a row it still claims then the row becomes failed with the run’s last error', () => {
        const rows = [row('crm', 'retrying', { attempts: 3, claimedBy: run, lastError: 'old' })];
        const merged = mergeRunOutcomes(
            rows,
            [{ target: 'crm', status: 'failed', attempts: 3, lastError: 'timeout' }],
            run,
            '2026-11-21T07:00:00.000Z',
        );

        expect(merged.changed).toEqual([
            {
                ...rows[0],
                status: 'failed',
                attempts: 3,
                lastError: 'timeout',
                updatedAt: '2026-11-21T07:00:00.000Z',
                claimedBy: undefined,
            },
        ]);
        expect(merged.rows).toEqual(merged.changed);
    });

    it('when another run claimed the row, or an attempt already ended it, then the run’s outcome changes nothing', () => {
        const rows = [
            row('a', 'pending', { claimedBy: 'redeliver-lk-1-1-x' }),
            row('b', 'delivered', { attempts: 2 }),
            row('c', 'failed', { attempts: 1 }),
        ];
        const outcomes = ['a', 'b', 'c'].map((target) => ({ target, status: 'failed' as const, attempts: 5 }));

        expect(mergeRunOutcomes(rows, outcomes, run, at)).toEqual({ rows, changed: [] });
    });

    it('when a target has no row then the run’s outcome is written as its row', () => {
        const merged = mergeRunOutcomes(
            [],
            [{ target: 'x', status: 'delivered', attempts: 1, externalId: 'r', lastError: 'ignored' }],
            run,
            at,
        );
        expect(merged.changed).toEqual([
            {
                target: 'x',
                role: 'outreach',
                status: 'delivered',
                attempts: 1,
                externalId: 'r',
                lastError: undefined,
                lastHttpStatus: undefined,
                updatedAt: at,
                deliveredAt: at,
            },
        ]);
    });

    it.each([
        [['delivered', 'delivered', 'skipped'], 'delivered'],
        [['delivered', 'failed'], 'partially-delivered'],
        [['failed', 'skipped'], 'failed'],
        [['delivered', 'retrying'], 'delivering'],
        [['pending'], 'delivering'],
        [['skipped'], 'skipped'],
        [[], 'not-routed'],
    ] as const)('when the rows are %j then the lead is %s', (statuses, expected) => {
        expect(leadStatusOf(statuses.map((status) => ({ status })))).toBe(expected);
    });
});

describe('claims', () => {
    const now = new Date('2026-11-21T08:00:00.000Z');

    it('when a claim is older than the deadline plus the 10-minute margin then it has expired, not a moment sooner', () => {
        const edge = new Date(now.getTime() - minutes(60 + 10)).toISOString();
        const older = new Date(now.getTime() - minutes(60 + 10) - 1).toISOString();

        expect(abandonedBefore(now, 60)?.toISOString()).toBe(edge);
        expect(claimExpired({ status: 'pending', updatedAt: edge }, now, 60)).toBe(false);
        expect(claimExpired({ status: 'retrying', updatedAt: older }, now, 60)).toBe(true);
        expect(claimExpired({ status: 'failed', updatedAt: older }, now, 60)).toBe(false);
        expect(claimExpired({ status: 'pending', updatedAt: older }, now, undefined)).toBe(false);
    });

    it('when the run has ended then its claim is abandoned only once its sub-orchestration for the target has too', () => {
        expect(endedWithItsRun('ended', 'ended')).toBe(true);
        expect(endedWithItsRun('ended', 'unknown')).toBe(true);
        expect(endedWithItsRun('ended', 'running')).toBe(false);
        expect(endedWithItsRun('running', 'ended')).toBe(false);
        expect(endedWithItsRun('unknown', 'ended')).toBe(false);
    });

    it('when a listed lead has been delivering since before the cutoff then it is listed stalled', () => {
        const cutoff = abandonedBefore(now, 60);
        expect(listedStatus('delivering', '2026-11-21T06:00:00.000Z', cutoff)).toBe('stalled');
        expect(listedStatus('delivering', '2026-11-21T07:30:00.000Z', cutoff)).toBe('delivering');
        expect(listedStatus('delivering', undefined, cutoff)).toBe('delivering');
        expect(listedStatus('failed', '2026-11-21T06:00:00.000Z', cutoff)).toBe('failed');
        expect(listedStatus('delivering', '2026-11-21T06:00:00.000Z', undefined)).toBe('delivering');
    });

    it('when a claim is abandoned and nothing else is in progress then the lead is shown stalled', () => {
        const abandoned = new Map<string, AbandonReason>([['a', 'run-ended']]);
        expect(viewedStatus(record([row('a', 'pending'), row('b', 'delivered')]), abandoned)).toBe('stalled');
        expect(viewedStatus(record([row('a', 'pending'), row('b', 'retrying')]), abandoned)).toBe('delivering');
        expect(viewedStatus(record([row('a', 'pending')], { status: 'failed' }), abandoned)).toBe('failed');
    });
});

describe('redelivery', () => {
    const idle = () => false;

    it('when no target is named then every routed target not delivered and not busy is chosen', () => {
        const rows = [
            row('a', 'failed'),
            row('b', 'delivered'),
            row('c', 'skipped'),
            row('d', 'pending'),
            row('e', 'retrying'),
        ];
        const busy = (d: DeliveryRecord) => d.target === 'd';

        expect(chooseForRedelivery(record(rows), undefined, busy)).toEqual([rows[0], rows[4]]);
    });

    it('when a named target is delivered then it is chosen anyway; when it is busy the answer is being-delivered', () => {
        const rows = [row('a', 'delivered'), row('b', 'retrying')];
        expect(chooseForRedelivery(record(rows), 'a', idle)).toEqual([rows[0]]);
        expect(chooseForRedelivery(record(rows), 'b', () => true)).toEqual({
            kind: 'being-delivered',
            target: 'b',
            message: 'Target b is being delivered (retrying); try again when that delivery has finished.',
        });
    });

    it.each([
        ['not decided', record([], { decision: undefined }), undefined, 'The lead is not decided yet.'],
        ['a test lead', record([], { status: 'destination-validated' }), undefined, 'Test leads are never delivered.'],
        ['asked for an unrouted target', record([row('a', 'failed')]), 'x', 'Target x is not routed for this lead.'],
        [
            'asked for a target routed but skipped',
            record([row('a', 'skipped', { skippedReason: 'target is not enabled' })]),
            'a',
            'Target a was routed but skipped: target is not enabled.',
        ],
        [
            'routed to targets that were all skipped',
            record([row('a', 'skipped')]),
            undefined,
            'Every target the lead was routed to was skipped (see each delivery’s skippedReason).',
        ],
        ['routed nowhere', record([]), undefined, 'No target was routed for this lead.'],
        [
            'delivered to every routed target',
            record([row('a', 'delivered')]),
            undefined,
            'Every routed target is delivered.',
        ],
    ])('when the lead is %s then it is not deliverable', (_what, lead, target, message) => {
        expect(chooseForRedelivery(lead, target, idle)).toEqual({ kind: 'not-deliverable', message });
    });

    it('when a target skipped as not configured is on now then a redelivery takes it, unless the outcome may not reach its role', () => {
        const decided = (outcome: 'qualified' | 'do-not-contact') =>
            ({ qualification: { outcome, reasons: [] } }) as unknown as LeadDecision;
        const skipped = row('crm', 'skipped', { skippedReason: 'target not configured' });
        const now = { enabled: new Set(['crm']), deliverTo: { qualified: ['outreach'], 'do-not-contact': ['notify'] } };

        expect(chooseForRedelivery(record([skipped], { decision: decided('qualified') }), 'crm', idle, now)).toEqual([
            skipped,
        ]);
        expect(
            chooseForRedelivery(record([skipped], { decision: decided('qualified') }), undefined, idle, now),
        ).toEqual([skipped]);
        expect(
            chooseForRedelivery(record([skipped], { decision: decided('do-not-contact') }), 'crm', idle, now),
        ).toMatchObject({ kind: 'not-deliverable' });
        const off = { ...now, enabled: new Set<string>() };
        expect(
            chooseForRedelivery(record([skipped], { decision: decided('qualified') }), 'crm', idle, off),
        ).toMatchObject({
            kind: 'not-deliverable',
        });
        expect(claimRows([skipped], 'redeliver-1', at)[0]).toMatchObject({
            status: 'pending',
            skippedReason: undefined,
        });
        expect(releasedRows(claimRows([skipped], 'redeliver-1', at), [skipped], 'redeliver-1')[0]).toMatchObject({
            status: 'skipped',
            skippedReason: 'target not configured',
        });
    });

    it('when a redelivery claims rows then they are pending, timed and owned by it, and each expired claim says why', () => {
        const chosen = [
            row('a', 'retrying', { claimedBy: run, updatedAt: '2026-11-20T00:00:00.000Z' }),
            row('b', 'failed'),
        ];
        const later = '2026-11-21T09:00:00.000Z';

        expect(claimRows(chosen, 'redeliver-1', later)).toEqual([
            { ...chosen[0], status: 'pending', updatedAt: later, claimedBy: 'redeliver-1' },
            { ...chosen[1], status: 'pending', updatedAt: later, claimedBy: 'redeliver-1' },
        ]);
        expect(claimExpiredEntries(chosen, new Map([['a', 'deadline-passed' as const]]), later)).toEqual([
            {
                at: later,
                kind: 'claim-expired',
                detail: {
                    target: 'a',
                    status: 'retrying',
                    since: '2026-11-20T00:00:00.000Z',
                    reason: 'deadline-passed',
                    claimedBy: run,
                },
            },
        ]);
    });

    it('when a claim is given back then only rows still claimed by that redelivery return to how they were', () => {
        const chosen = [
            row('a', 'retrying', { claimedBy: run, updatedAt: '2026-11-20T00:00:00.000Z' }),
            row('b', 'failed'),
        ];
        const current = [
            { ...claimRows(chosen, 'redeliver-1', at)[0]!, etag: 'e2' },
            row('b', 'pending', { claimedBy: 'redeliver-2' }),
            row('c', 'pending', { claimedBy: 'redeliver-1' }),
        ];

        expect(releasedRows(current, chosen, 'redeliver-1')).toEqual([
            { ...current[0], status: 'retrying', updatedAt: '2026-11-20T00:00:00.000Z', claimedBy: run },
        ]);
    });
});

describe('calls in flight (at-least-once, recorded as it happened)', () => {
    const call = { target: 'crm', role: 'outreach', runId: run, attempt: 1, at };
    const later = '2026-11-21T06:01:00.000Z';
    const made = (since: string, result: Parameters<typeof rowAfterAttempt>[1]['result']) => ({
        ...call,
        at: later,
        result,
        call: { attempt: 1, since },
    });

    it('when a call starts then the row marks it in flight, claimed by the run, and counts nothing yet', () => {
        const before = rowBeforeCall(row('crm', 'pending', { claimedBy: run }), call);
        expect(before).toMatchObject({ status: 'pending', attempts: 0, claimedBy: run });
        expect(before.inFlight).toEqual([{ attempt: 1, run, since: at }]);
    });

    it('when the call answers then its mark is removed and it counts as one attempt', () => {
        const before = rowBeforeCall(row('crm', 'pending', { claimedBy: run }), call);
        const after = rowAfterAttempt(before, made(at, { outcome: 'delivered' }));
        expect(after).toMatchObject({ status: 'delivered', attempts: 1 });
        expect(after.inFlight).toBeUndefined();
        expect(after.inDoubt).toBeUndefined();
        expect(callsInDoubt(before, made(at, { outcome: 'delivered' }))).toEqual([]);
    });

    it('when an earlier execution of the same attempt left its call in flight then that call counts, in doubt', () => {
        const crashed = rowBeforeCall(row('crm', 'pending', { claimedBy: run }), call);
        const again = rowBeforeCall(crashed, { ...call, at: later });
        const attempt = made(later, { outcome: 'delivered' });
        expect(rowAfterAttempt(again, attempt)).toMatchObject({ status: 'delivered', attempts: 2, inDoubt: 1 });
        expect(rowAfterAttempt(again, attempt).inFlight).toBeUndefined();
        expect(callsInDoubt(again, attempt)).toEqual([
            { at: later, kind: 'delivery-in-doubt', detail: { target: 'crm', attempt: 1, run, since: at } },
        ]);
    });

    it('when another run has a call in flight then finishing this one leaves it alone', () => {
        const theirs = rowBeforeCall(row('crm', 'pending'), { ...call, runId: 'redeliver-x' });
        const both = rowBeforeCall(theirs, { ...call, at: later });
        const after = rowAfterAttempt(both, made(later, { outcome: 'delivered' }));
        expect(after).toMatchObject({ attempts: 1, inFlight: [{ attempt: 1, run: 'redeliver-x', since: at }] });
        expect(after.inDoubt).toBeUndefined();
    });

    it("when an attempt sent nothing (budget exhausted) then it is not counted and the row stays the run's claim", () => {
        const before = rowBeforeCall(row('crm', 'retrying', { attempts: 1, claimedBy: run }), call);
        const after = rowAfterAttempt(
            before,
            made(at, { outcome: 'not-sent', error: 'TransientError: crm: request budget exhausted' }),
        );
        expect(after).toMatchObject({ status: 'retrying', attempts: 1, claimedBy: run, updatedAt: later });
        expect(after.inFlight).toBeUndefined();
    });

    it('when a forced call starts on a delivered row then the row is a claim again until the call answers', () => {
        expect(rowBeforeCall(row('crm', 'delivered', { attempts: 1 }), call)).toMatchObject({
            status: 'pending',
            attempts: 1,
            claimedBy: run,
        });
    });
});
