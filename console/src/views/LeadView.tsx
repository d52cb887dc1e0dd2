import { Fragment } from 'preact';
import { useState } from 'preact/hooks';

import { api, ApiError, type Caller, type LeadDetails } from '../api';
import { Badge, Empty, ErrorBox, errorText, Grade, Loading, Section, useLoad } from '../components/common';
import { formatDateTime, formatNumber, label, t } from '../i18n';
import { setLeadSearch } from './LeadsView';

interface Redelivery {
    leadId: string;
    instanceId: string;
    targets: string[];
}

/**
 * One lead: who, what they wrote, why it got its grade and where it went, every delivery, the history and the
 * person's other leads; redeliver all targets or one. Every lead field is rendered as text.
 */
export function LeadView(props: { leadId: string; caller: Caller }) {
    const [loaded, reload] = useLoad(
        () => api.get<LeadDetails>(`leads/${encodeURIComponent(props.leadId)}`),
        [props.leadId],
    );
    const [answer, setAnswer] = useState<{ ok: boolean; text: string } | undefined>(undefined);
    const [busy, setBusy] = useState(false);
    if (loaded.state === 'loading') return <Loading />;
    if (loaded.state === 'failed') return <ErrorBox error={loaded.error} retry={reload} />;
    const lead = loaded.value;
    const canOperate = props.caller.roles.includes('operate');
    const c = lead.contact;
    const name = [c.firstName, c.lastName].filter((p) => p !== undefined && p.trim() !== '').join(' ');

    const redeliver = async (target?: string) => {
        setBusy(true);
        setAnswer(undefined);
        try {
            const query = target === undefined ? '' : `?target=${encodeURIComponent(target)}`;
            const res = await api.post<Redelivery>(`leads/${encodeURIComponent(lead.leadId)}/redeliver${query}`);
            setAnswer({ ok: true, text: t('lead.redeliverStarted', { targets: res.targets.join(', ') }) });
            setTimeout(reload, 1500);
        } catch (err) {
            setAnswer({
                ok: false,
                text: err instanceof ApiError && err.status === 409 ? err.message : errorText(err),
            });
        }
        setBusy(false);
    };

    return (
        <div class="lead">
            <header class="lead-head">
                <div>
                    <h1>{name === '' ? t('leads.noName') : name}</h1>
                    <p class="sub">
                        {c.title ?? ''}
                        {c.title && c.company ? ' · ' : ''}
                        {c.company ?? ''}
                    </p>
                </div>
                <div class="lead-badges">
                    <Grade grade={lead.score?.grade} />
                    <Badge group="status" code={lead.status} />
                    {lead.qualification ? <Badge group="outcome" code={lead.qualification.outcome} /> : null}
                </div>
            </header>
            <div class="lead-grid">
                <Section title={t('lead.contact')} id="contact">
                    <dl class="facts">
                        <dt>{t('lead.email')}</dt>
                        <dd>{c.email === undefined ? '—' : <a href={`mailto:${c.email}`}>{c.email}</a>}</dd>
                        <dt>{t('lead.phone')}</dt>
                        <dd>{c.phoneE164 ?? c.phone ?? '—'}</dd>
                        <dt>{t('lead.country')}</dt>
                        <dd>
                            {c.country === undefined
                                ? '—'
                                : `${c.country}${c.countryCode && c.countryCode !== c.country ? ` (${c.countryCode})` : ''}`}
                        </dd>
                        <dt>{t('lead.offer')}</dt>
                        <dd>{lead.offer.title ?? lead.offer.offerId ?? '—'}</dd>
                        <dt>{t('lead.action')}</dt>
                        <dd>
                            {label('action', lead.action.meaning)}
                            {lead.action.code ? ` (${lead.action.code})` : ''}
                        </dd>
                        <dt>{t('lead.source')}</dt>
                        <dd>{lead.source.raw ?? label('source', lead.source.kind)}</dd>
                        <dt>{t('lead.received')}</dt>
                        <dd>{formatDateTime(lead.receivedAt)}</dd>
                    </dl>
                    {c.email ? (
                        <button
                            type="button"
                            class="link"
                            onClick={() => {
                                setLeadSearch(c.email!);
                                location.hash = '#/leads';
                            }}
                        >
                            {t('lead.allOfThisEmail')}
                        </button>
                    ) : null}
                </Section>
                <Section title={t('lead.message')} id="message">
                    {lead.message ? <p class="message">{lead.message}</p> : <Empty text={t('lead.noMessage')} />}
                    {lead.campaign && Object.keys(lead.campaign.params).length > 0 ? (
                        <>
                            <h3>{t('lead.campaign')}</h3>
                            <dl class="facts">
                                {Object.entries(lead.campaign.params).map(([k, v]) => (
                                    <Fragment key={k}>
                                        <dt>{k}</dt>
                                        <dd>{v}</dd>
                                    </Fragment>
                                ))}
                            </dl>
                        </>
                    ) : null}
                </Section>
                {/* Owner and SLA (issue 12) render here when the API carries them. */}
                {lead.owner !== undefined || lead.sla !== undefined ? (
                    <Section title={t('lead.ownerSla')} id="owner">
                        <dl class="facts">
                            <dt>{t('lead.owner')}</dt>
                            <dd>{lead.owner?.name ?? '—'}</dd>
                            <dt>{t('lead.slaDue')}</dt>
                            <dd>{formatDateTime(lead.sla?.dueAt)}</dd>
                        </dl>
                    </Section>
                ) : null}
            </div>
            <Section title={t('lead.why')} id="why">
                <h3>{t('lead.qualification')}</h3>
                {lead.qualification === null ? (
                    <Empty text={t('lead.notDecided')} />
                ) : (
                    <ul class="reasons">
                        {lead.qualification.reasons.map((r) => (
                            <li key={r.ruleId}>
                                <code>{r.ruleId}</code> {r.description}
                            </li>
                        ))}
                    </ul>
                )}
                {lead.score === null ? null : (
                    <>
                        <h3>{t('lead.score', { points: lead.score.points, grade: lead.score.grade })}</h3>
                        <table class="breakdown">
                            <thead>
                                <tr>
                                    <th scope="col">{t('lead.rule')}</th>
                                    <th scope="col">{t('lead.reason')}</th>
                                    <th scope="col" class="num">
                                        {t('lead.points')}
                                    </th>
                                </tr>
                            </thead>
                            <tbody>
                                {lead.score.breakdown.map((b) => (
                                    <tr key={b.ruleId}>
                                        <td>
                                            <code>{b.ruleId}</code>
                                        </td>
                                        <td>{b.description}</td>
                                        <td class={`num ${b.points < 0 ? 'neg' : 'pos'}`}>
                                            {b.points > 0 ? `+${b.points}` : b.points}
                                        </td>
                                    </tr>
                                ))}
                            </tbody>
                            <tfoot>
                                <tr>
                                    <th scope="row" colSpan={2}>
                                        {t('lead.total')}
                                    </th>
                                    <td class="num">{formatNumber(lead.score.points)}</td>
                                </tr>
                            </tfoot>
                        </table>
                    </>
                )}
                {lead.route === null ? null : (
                    <>
                        <h3>{t('lead.route', { mode: lead.route.mode })}</h3>
                        {lead.route.usedDefault ? <p class="muted">{t('lead.defaultRoute')}</p> : null}
                        <ul class="reasons">
                            {lead.route.matchedRules.map((r) => (
                                <li key={r.ruleId}>
                                    <code>{r.ruleId}</code> {r.description}
                                </li>
                            ))}
                        </ul>
                        <ul class="targets">
                            {lead.route.targets.map((r) => (
                                <li key={r.target}>
                                    <strong>{r.target}</strong> <span class="muted">({r.role})</span> ←{' '}
                                    {r.matchedRules.join(', ')}
                                    {r.skippedReason ? (
                                        <span class="muted">
                                            {' '}
                                            · {t('lead.skipped')}: {r.skippedReason}
                                        </span>
                                    ) : null}
                                </li>
                            ))}
                        </ul>
                    </>
                )}
            </Section>
            <Section
                title={t('lead.deliveries')}
                id="deliveries"
                actions={
                    canOperate ? (
                        <button type="button" onClick={() => void redeliver()} disabled={busy}>
                            {t('action.redeliverAll')}
                        </button>
                    ) : null
                }
            >
                {answer !== undefined ? (
                    <p class={`notice ${answer.ok ? 'good' : 'bad'}`} role="status">
                        {answer.text}
                    </p>
                ) : null}
                {lead.deliveries.length === 0 ? (
                    <Empty text={t('lead.noDeliveries')} />
                ) : (
                    <div class="table-wrap">
                        <table class="deliveries">
                            <thead>
                                <tr>
                                    <th scope="col">{t('lead.target')}</th>
                                    <th scope="col">{t('col.status')}</th>
                                    <th scope="col" class="num">
                                        {t('lead.attempts')}
                                    </th>
                                    <th scope="col">{t('lead.crmRecord')}</th>
                                    <th scope="col">{t('lead.lastError')}</th>
                                    <th scope="col">{t('lead.updated')}</th>
                                    <th scope="col" />
                                </tr>
                            </thead>
                            <tbody>
                                {lead.deliveries.map((d) => (
                                    <tr key={d.target} data-target={d.target}>
                                        <td data-label={t('lead.target')}>{d.target}</td>
                                        <td data-label={t('col.status')}>
                                            <Badge group="status" code={d.status} />
                                        </td>
                                        <td data-label={t('lead.attempts')} class="num">
                                            {d.attempts}
                                        </td>
                                        <td data-label={t('lead.crmRecord')}>
                                            {d.externalId === undefined ? (
                                                '—'
                                            ) : d.recordUrl ? (
                                                <a href={d.recordUrl} target="_blank" rel="noopener noreferrer">
                                                    {d.externalId}
                                                </a>
                                            ) : (
                                                <code>{d.externalId}</code>
                                            )}
                                        </td>
                                        <td data-label={t('lead.lastError')}>
                                            {d.lastError ?? d.skippedReason ?? d.stalledReason ?? '—'}
                                            {d.lastError && d.lastHttpStatus ? ` (HTTP ${d.lastHttpStatus})` : ''}
                                        </td>
                                        <td data-label={t('lead.updated')}>{formatDateTime(d.updatedAt)}</td>
                                        <td>
                                            {canOperate && d.status !== 'skipped' ? (
                                                <button
                                                    type="button"
                                                    class="small"
                                                    onClick={() => void redeliver(d.target)}
                                                    disabled={busy}
                                                >
                                                    {t('action.redeliver')}
                                                </button>
                                            ) : null}
                                        </td>
                                    </tr>
                                ))}
                            </tbody>
                        </table>
                    </div>
                )}
            </Section>
            <div class="lead-grid">
                <Section title={t('lead.history')} id="history">
                    <ol class="history">
                        {lead.history.map((h, i) => (
                            <li key={`${h.at}-${i}`}>
                                <time dateTime={h.at}>{formatDateTime(h.at)}</time>{' '}
                                <strong>{label('history', h.kind)}</strong>
                                {h.detail && Object.keys(h.detail).length > 0 ? (
                                    <span class="muted">
                                        {' '}
                                        {Object.entries(h.detail)
                                            .map(([k, v]) => `${k}: ${String(v)}`)
                                            .join(', ')}
                                    </span>
                                ) : null}
                            </li>
                        ))}
                    </ol>
                </Section>
                <Section title={t('lead.journey')} id="journey">
                    {lead.journey.length <= 1 ? (
                        <Empty text={t('lead.noJourney')} />
                    ) : (
                        <ol class="journey">
                            {lead.journey.map((j) => (
                                <li key={j.leadId} class={j.leadId === lead.leadId ? 'current' : undefined}>
                                    <a href={`#/leads/${encodeURIComponent(j.leadId)}`}>
                                        {formatDateTime(j.receivedAt)}
                                    </a>{' '}
                                    {label('action', j.actionMeaning)}
                                    {j.leadId === lead.leadId ? ` (${t('lead.thisLead')})` : ''}
                                </li>
                            ))}
                        </ol>
                    )}
                </Section>
            </div>
            <p class="muted small">{t('lead.ids', { leadId: lead.leadId, version: lead.configVersion ?? '—' })}</p>
        </div>
    );
}
