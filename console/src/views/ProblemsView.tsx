import { useState } from 'preact/hooks';

import { api, type Caller, type Problems } from '../api';
import { Empty, ErrorBox, errorText, Loading, Section, useLoad } from '../components/common';
import { formatDateTime, formatNumber, label, type MessageKey, t } from '../i18n';
import { LeadTable } from './LeadsView';

/**
 * The first screen: whether anything needs the publisher, and each thing that does, with the action that fixes it
 * (replay a parked event, redeliver a lead, renew a credential).
 */
export function ProblemsView(props: { caller: Caller }) {
    const [loaded, reload] = useLoad(() => api.get<Problems>('problems'), []);
    const [replayed, setReplayed] = useState<Record<string, string>>({});
    if (loaded.state === 'loading') return <Loading />;
    if (loaded.state === 'failed') return <ErrorBox error={loaded.error} retry={reload} />;
    const p = loaded.value;
    const canOperate = props.caller.roles.includes('operate');
    const replay = async (id: string) => {
        try {
            await api.post(`leads/parked/${encodeURIComponent(id)}/replay`);
            setReplayed((r) => ({ ...r, [id]: t('problems.replayed') }));
            setTimeout(reload, 1500);
        } catch (err) {
            setReplayed((r) => ({ ...r, [id]: errorText(err) }));
        }
    };
    const counts = Object.entries(p.counts).filter(([, n]) => n > 0);
    return (
        <div class="problems">
            <div class={`status-banner ${p.needsAttention ? 'bad' : 'good'}`} role="status" id="attention">
                <strong>{p.needsAttention ? t('problems.needsYou') : t('problems.allGood')}</strong>
                {counts.length > 0 ? (
                    <ul>
                        {counts.map(([k, n]) => (
                            <li key={k}>
                                <a href={`#problem-${k}`}>{t(`problems.count.${k}` as MessageKey, { count: n })}</a>
                            </li>
                        ))}
                    </ul>
                ) : (
                    <p>{t('problems.allGoodDetail')}</p>
                )}
                <p class="muted small">{t('problems.checkedAt', { at: formatDateTime(p.checkedAt) })}</p>
            </div>
            <Section title={t('problems.parked')} id="problem-parked">
                {p.parked.length === 0 ? (
                    <Empty text={t('problems.noParked')} />
                ) : (
                    <ul class="items">
                        {p.parked.map((item) => (
                            <li key={item.id} data-parked-id={item.id}>
                                <div>
                                    <strong>{item.reason}</strong> <span class="muted">{item.description ?? ''}</span>
                                    <div class="muted small">
                                        {t('problems.parkedAt', {
                                            at: formatDateTime(item.parkedAt),
                                            count: item.deliveryCount ?? 0,
                                        })}{' '}
                                        · <code>{item.messageId}</code>
                                    </div>
                                </div>
                                {replayed[item.id] !== undefined ? (
                                    <span class="notice" role="status">
                                        {replayed[item.id]}
                                    </span>
                                ) : canOperate ? (
                                    <button type="button" onClick={() => void replay(item.id)}>
                                        {t('action.replay')}
                                    </button>
                                ) : null}
                            </li>
                        ))}
                    </ul>
                )}
            </Section>
            <Section title={t('problems.failed')} id="problem-failed">
                {p.failed.length === 0 ? <Empty text={t('problems.noFailed')} /> : <LeadTable items={p.failed} />}
            </Section>
            <Section title={t('problems.stalled')} id="problem-stalled">
                {p.stalled.length === 0 ? <Empty text={t('problems.noStalled')} /> : <LeadTable items={p.stalled} />}
            </Section>
            <Section title={t('problems.unattended')} id="problem-unattended">
                {(p.unattended ?? []).length === 0 ? (
                    <Empty text={t('problems.noUnattended')} />
                ) : (
                    <ul class="items">
                        {(p.unattended ?? []).map((u) => (
                            <li key={u.leadId}>
                                <div>
                                    <a href={`#/leads/${encodeURIComponent(u.leadId)}`}>
                                        <code>{u.leadId}</code>
                                    </a>{' '}
                                    <span class="muted">
                                        {t('problems.unattendedSince', {
                                            queue: u.queue,
                                            at: formatDateTime(u.since),
                                            count: u.breaches,
                                        })}
                                    </span>
                                </div>
                            </li>
                        ))}
                    </ul>
                )}
            </Section>
            <Section title={t('problems.targets')} id="problem-unhealthyTargets">
                {p.unhealthyTargets.length === 0 && p.expiringCredentials.length === 0 ? (
                    <Empty text={t('problems.targetsHealthy')} />
                ) : (
                    <ul class="items">
                        {[
                            ...p.unhealthyTargets,
                            ...p.expiringCredentials.filter((e) => !p.unhealthyTargets.includes(e)),
                        ].map((h) => (
                            <li key={h.target}>
                                <div>
                                    <strong>{h.target}</strong> <span class="muted">({h.type})</span>{' '}
                                    {label('status', h.state)}
                                    <div class="small">{h.message ?? ''}</div>
                                    {h.credentialExpiresAt ? (
                                        <div class="small">
                                            {t('problems.expires', { at: formatDateTime(h.credentialExpiresAt) })}
                                        </div>
                                    ) : null}
                                </div>
                            </li>
                        ))}
                    </ul>
                )}
            </Section>
            <Section title={t('problems.invalid')} id="problem-invalidPayloads">
                {p.invalidPayloads.length === 0 ? (
                    <Empty text={t('problems.noInvalid')} />
                ) : (
                    <ul class="items">
                        {p.invalidPayloads.map((b) => (
                            <li key={b.id}>
                                <div class="grow">
                                    <strong>{b.reason}</strong>{' '}
                                    <span class="muted small">
                                        {formatDateTime(b.receivedAt)} ·{' '}
                                        {t('problems.bytes', { bytes: formatNumber(b.bytes) })}
                                    </span>
                                    <pre class="preview">{b.preview}</pre>
                                </div>
                            </li>
                        ))}
                    </ul>
                )}
            </Section>
        </div>
    );
}
