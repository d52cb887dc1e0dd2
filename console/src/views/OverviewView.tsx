import { useState } from 'preact/hooks';

import { api, type Overview } from '../api';
import { SimpleBars, StackedBars } from '../components/charts';
import { ErrorBox, Loading, Section, useLoad } from '../components/common';
import { formatDay, formatDuration, formatNumber, label, t } from '../i18n';

const sortedKeys = (counts: Record<string, number>[]) => [...new Set(counts.flatMap((c) => Object.keys(c)))].sort();

/** The last days in pictures, each number on hover or focus: arrivals, grades, outcomes, deliveries, speed. */
export function OverviewView() {
    const [days, setDays] = useState(30);
    const [by, setBy] = useState<'source' | 'action'>('source');
    const [loaded, reload] = useLoad(() => api.get<Overview>(`overview?days=${days}`), [days]);
    if (loaded.state === 'loading') return <Loading />;
    if (loaded.state === 'failed') return <ErrorBox error={loaded.error} retry={reload} />;
    const o = loaded.value;
    const perDay = o.days.map((d) => (by === 'source' ? d.bySource : d.byAction));
    const dayKeys = sortedKeys(perDay);
    const targetStatuses = sortedKeys(Object.values(o.targets));
    const grades = Object.keys(o.grades).sort();
    return (
        <div class="overview">
            <div class="toolbar">
                <label class="field">
                    <span>{t('overview.period')}</span>
                    <select
                        value={String(days)}
                        onChange={(e) => setDays(Number((e.target as HTMLSelectElement).value))}
                    >
                        {[7, 30, 90, 365].map((n) => (
                            <option key={n} value={String(n)}>
                                {t('overview.days', { count: n })}
                            </option>
                        ))}
                    </select>
                </label>
                <p class="muted">
                    {t('overview.total', { count: o.total })}
                    {o.partial ? ` · ${t('overview.partial')}` : ''}
                </p>
            </div>
            <Section
                title={t('overview.perDay')}
                id="per-day"
                actions={
                    <div class="segmented" role="group" aria-label={t('overview.splitBy')}>
                        <button type="button" aria-pressed={by === 'source'} onClick={() => setBy('source')}>
                            {t('col.source')}
                        </button>
                        <button type="button" aria-pressed={by === 'action'} onClick={() => setBy('action')}>
                            {t('col.action')}
                        </button>
                    </div>
                }
            >
                <StackedBars
                    label={t('overview.perDay')}
                    keys={dayKeys}
                    keyLabel={(k) => label(by, k)}
                    bars={o.days.map((d, i) => ({
                        label: formatDay(d.day),
                        segments: Object.entries(perDay[i] ?? {}).map(([key, value]) => ({ key, value })),
                    }))}
                />
            </Section>
            <div class="lead-grid">
                <Section title={t('overview.grades')} id="grades">
                    <SimpleBars
                        label={t('overview.grades')}
                        keyLabel={(k) => k}
                        items={grades.map((g) => ({ key: g, value: o.grades[g] ?? 0 }))}
                    />
                </Section>
                <Section title={t('overview.outcomes')} id="outcomes">
                    <SimpleBars
                        label={t('overview.outcomes')}
                        keyLabel={(k) => label('outcome', k)}
                        items={Object.entries(o.outcomes).map(([key, value]) => ({ key, value }))}
                    />
                </Section>
            </div>
            <div class="lead-grid">
                <Section title={t('overview.targets')} id="targets">
                    <StackedBars
                        label={t('overview.targets')}
                        keys={targetStatuses}
                        keyLabel={(k) => label('status', k)}
                        bars={Object.entries(o.targets).map(([target, counts]) => ({
                            label: target,
                            segments: Object.entries(counts).map(([key, value]) => ({ key, value })),
                        }))}
                    />
                </Section>
                <Section title={t('overview.timeToCrm')} id="time-to-crm">
                    <SimpleBars
                        label={t('overview.timeToCrm')}
                        keyLabel={(k) => k}
                        items={o.timeToCrm.buckets.map((b, i, all) => ({
                            key:
                                b.upToMs === null
                                    ? `> ${formatDuration(all[i - 1]?.upToMs ?? 0)}`
                                    : `≤ ${formatDuration(b.upToMs)}`,
                            value: b.count,
                        }))}
                    />
                    <p class="muted">
                        {t('overview.percentiles', {
                            p50: formatDuration(o.timeToCrm.p50Ms),
                            p90: formatDuration(o.timeToCrm.p90Ms),
                        })}
                    </p>
                </Section>
            </div>
            <p class="muted small">{t('overview.utc', { count: formatNumber(o.days.length) })}</p>
        </div>
    );
}
