import { useEffect, useState } from 'preact/hooks';

import { api, type LeadPage, type ListedLead } from '../api';
import { Badge, Empty, ErrorBox, Grade, Loading, Section } from '../components/common';
import { formatDateTime, formatDuration, label, type MessageKey, t } from '../i18n';

export interface LeadFilters {
    status?: string;
    grade?: string;
    source?: string;
    action?: string;
    offer?: string;
    channel?: string;
    since?: string;
    until?: string;
    search?: string;
}

/** Kept for the tab while it is open (never in the address, so a search is not in any URL or history). */
let remembered: LeadFilters = {};

export function setLeadSearch(search: string): void {
    remembered = { search };
}

const choices: Record<Exclude<keyof LeadFilters, 'offer' | 'since' | 'until' | 'search'>, string[]> = {
    status: [
        'received',
        'processing',
        'delivering',
        'stalled',
        'delivered',
        'partially-delivered',
        'failed',
        'skipped',
        'not-routed',
        'destination-validated',
        'blank',
    ],
    grade: ['A', 'B', 'C', 'D'],
    source: ['AzureMarketplace', 'AppSource', 'AzurePortal', 'TestDrive', 'Other', 'Unknown'],
    action: ['contact-me', 'install', 'create', 'free-trial', 'test-drive', 'do-not-contact', 'unknown'],
    channel: ['https', 'table'],
};

const labelGroup: Record<string, string> = { status: 'status', source: 'source', action: 'action', channel: 'channel' };

/** The request body: only the filters set; dates as the start of the chosen day (UTC) and the day after `until`. */
function body(filters: LeadFilters, continuationToken?: string): Record<string, unknown> {
    const out: Record<string, unknown> = { limit: 50 };
    for (const [k, v] of Object.entries(filters)) if (v !== undefined && v !== '') out[k] = v;
    if (filters.since) out.since = new Date(`${filters.since}T00:00:00Z`).toISOString();
    if (filters.until)
        out.until = new Date(new Date(`${filters.until}T00:00:00Z`).getTime() + 86_400_000).toISOString();
    if (continuationToken !== undefined) out.continuationToken = continuationToken;
    return out;
}

export function LeadsView(props: { offers: string[] }) {
    const [filters, setFilters] = useState<LeadFilters>(remembered);
    const [draft, setDraft] = useState<string>(remembered.search ?? '');
    const [items, setItems] = useState<ListedLead[]>([]);
    const [token, setToken] = useState<string | undefined>(undefined);
    const [state, setState] = useState<'loading' | 'done' | 'more'>('loading');
    const [error, setError] = useState<unknown>(undefined);

    const load = async (more: boolean) => {
        setState(more ? 'more' : 'loading');
        setError(undefined);
        try {
            const page = await api.post<LeadPage>('leads/query', body(filters, more ? token : undefined));
            setItems((prev) => (more ? [...prev, ...page.items] : page.items));
            setToken(page.continuationToken);
        } catch (err) {
            setError(err);
        }
        setState('done');
    };

    useEffect(() => {
        remembered = filters;
        void load(false);
    }, [JSON.stringify(filters)]);

    const set = (key: keyof LeadFilters, value: string) =>
        setFilters((f) => ({ ...f, [key]: value === '' ? undefined : value }));
    const select = (key: keyof typeof choices) => (
        <label class="field">
            <span>{t(`filter.${key}` as MessageKey)}</span>
            <select
                name={key}
                value={filters[key] ?? ''}
                onChange={(e) => set(key, (e.target as HTMLSelectElement).value)}
            >
                <option value="">{t('filter.any')}</option>
                {choices[key].map((c) => (
                    <option key={c} value={c}>
                        {labelGroup[key] === undefined ? c : label(labelGroup[key], c)}
                    </option>
                ))}
            </select>
        </label>
    );

    return (
        <Section title={t('nav.leads')} id="leads">
            <form
                class="search"
                role="search"
                onSubmit={(e) => {
                    e.preventDefault();
                    set('search', draft.trim());
                }}
            >
                <label class="field grow">
                    <span>{t('leads.search')}</span>
                    <input
                        type="search"
                        name="search"
                        value={draft}
                        placeholder={t('leads.searchHint')}
                        autocomplete="off"
                        maxLength={200}
                        onInput={(e) => setDraft((e.target as HTMLInputElement).value)}
                    />
                </label>
                <button type="submit">{t('action.search')}</button>
            </form>
            <div class="filters">
                {select('status')}
                {select('grade')}
                {select('source')}
                {select('action')}
                <label class="field">
                    <span>{t('filter.offer')}</span>
                    <select
                        name="offer"
                        value={filters.offer ?? ''}
                        onChange={(e) => set('offer', (e.target as HTMLSelectElement).value)}
                    >
                        <option value="">{t('filter.any')}</option>
                        {[...new Set([...props.offers, ...(filters.offer ? [filters.offer] : [])])].map((o) => (
                            <option key={o} value={o}>
                                {o}
                            </option>
                        ))}
                    </select>
                </label>
                {select('channel')}
                <label class="field">
                    <span>{t('filter.since')}</span>
                    <input
                        type="date"
                        name="since"
                        value={filters.since ?? ''}
                        onChange={(e) => set('since', (e.target as HTMLInputElement).value)}
                    />
                </label>
                <label class="field">
                    <span>{t('filter.until')}</span>
                    <input
                        type="date"
                        name="until"
                        value={filters.until ?? ''}
                        onChange={(e) => set('until', (e.target as HTMLInputElement).value)}
                    />
                </label>
                <button
                    type="button"
                    class="link"
                    onClick={() => {
                        setDraft('');
                        setFilters({});
                    }}
                >
                    {t('action.clearFilters')}
                </button>
            </div>
            {error !== undefined ? <ErrorBox error={error} retry={() => void load(false)} /> : null}
            {state === 'loading' ? <Loading /> : null}
            {state !== 'loading' && items.length === 0 && error === undefined ? <Empty text={t('leads.none')} /> : null}
            {items.length > 0 ? <LeadTable items={items} /> : null}
            {token !== undefined && state !== 'loading' ? (
                <p class="more">
                    <button type="button" onClick={() => void load(true)} disabled={state === 'more'}>
                        {state === 'more' ? t('common.loading') : t('action.loadMore')}
                    </button>
                </p>
            ) : null}
        </Section>
    );
}

export function LeadTable(props: { items: ListedLead[] }) {
    return (
        <div class="table-wrap">
            <table class="leads">
                <thead>
                    <tr>
                        <th scope="col">{t('col.person')}</th>
                        <th scope="col">{t('col.company')}</th>
                        <th scope="col">{t('col.offer')}</th>
                        <th scope="col">{t('col.action')}</th>
                        <th scope="col">{t('col.source')}</th>
                        <th scope="col">{t('col.grade')}</th>
                        <th scope="col">{t('col.qualification')}</th>
                        <th scope="col">{t('col.status')}</th>
                        <th scope="col">{t('col.received')}</th>
                        <th scope="col">{t('col.timeToDelivery')}</th>
                    </tr>
                </thead>
                <tbody>
                    {props.items.map((lead) => (
                        <tr key={lead.leadId} data-lead-id={lead.leadId}>
                            <td class="long" data-label={t('col.person')}>
                                <a href={`#/leads/${encodeURIComponent(lead.leadId)}`}>
                                    {lead.name ?? t('leads.noName')}
                                </a>
                            </td>
                            <td class="long" data-label={t('col.company')}>
                                {lead.company ?? '—'}
                            </td>
                            <td data-label={t('col.offer')}>{lead.offer ?? '—'}</td>
                            <td data-label={t('col.action')}>{label('action', lead.action)}</td>
                            <td data-label={t('col.source')}>{label('source', lead.source)}</td>
                            <td data-label={t('col.grade')}>
                                <Grade grade={lead.grade} />
                            </td>
                            <td data-label={t('col.qualification')}>
                                {lead.outcome === undefined ? '—' : <Badge group="outcome" code={lead.outcome} />}
                            </td>
                            <td data-label={t('col.status')}>
                                <Badge group="status" code={lead.status} />
                            </td>
                            <td data-label={t('col.received')}>{formatDateTime(lead.receivedAt)}</td>
                            <td data-label={t('col.timeToDelivery')}>{formatDuration(lead.timeToDeliveryMs)}</td>
                        </tr>
                    ))}
                </tbody>
            </table>
        </div>
    );
}
