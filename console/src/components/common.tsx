import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';

import { ApiError } from '../api';
import { label, onLanguageChange, t } from '../i18n';

/** Re-renders the caller when the language changes. */
export function useLanguage(): void {
    const [, setTick] = useState(0);
    useEffect(() => onLanguageChange(() => setTick((n) => n + 1)), []);
}

export type Loaded<T> = { state: 'loading' } | { state: 'done'; value: T } | { state: 'failed'; error: unknown };

/** Runs `load` now and whenever `deps` change; `reload` runs it again. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): [Loaded<T>, () => void] {
    const [result, setResult] = useState<Loaded<T>>({ state: 'loading' });
    const [round, setRound] = useState(0);
    useEffect(() => {
        let live = true;
        setResult((r) => (r.state === 'done' ? r : { state: 'loading' }));
        load().then(
            (value) => live && setResult({ state: 'done', value }),
            (error: unknown) => live && setResult({ state: 'failed', error }),
        );
        return () => {
            live = false;
        };
    }, [...deps, round]);
    const reload = useCallback(() => setRound((n) => n + 1), []);
    return [result, reload];
}

export function Section(props: {
    title: string;
    id?: string;
    children: ComponentChildren;
    actions?: ComponentChildren;
}) {
    return (
        <section class="card" id={props.id} aria-labelledby={props.id === undefined ? undefined : `${props.id}-title`}>
            <header class="card-head">
                <h2 id={props.id === undefined ? undefined : `${props.id}-title`}>{props.title}</h2>
                {props.actions}
            </header>
            {props.children}
        </section>
    );
}

const tone: Record<string, string> = {
    delivered: 'good',
    qualified: 'good',
    healthy: 'good',
    'partially-delivered': 'warn',
    retrying: 'warn',
    pending: 'warn',
    delivering: 'warn',
    received: 'warn',
    incomplete: 'warn',
    failed: 'bad',
    stalled: 'bad',
    unhealthy: 'bad',
    disqualified: 'bad',
    'do-not-contact': 'muted',
    skipped: 'muted',
    'not-routed': 'muted',
    'destination-validated': 'muted',
    test: 'muted',
    blank: 'muted',
    off: 'muted',
};

export function Badge(props: { group: string; code: string | undefined }) {
    return <span class={`badge ${tone[props.code ?? ''] ?? 'muted'}`}>{label(props.group, props.code)}</span>;
}

export function Grade(props: { grade: string | undefined }) {
    if (props.grade === undefined) return <span class="muted">—</span>;
    return (
        <span class={`grade grade-${props.grade.toLowerCase()}`} title={t('lead.grade')}>
            {props.grade}
        </span>
    );
}

/** What went wrong, in words a person can act on; the API's own message for its known refusals. */
export function errorText(error: unknown): string {
    if (error instanceof ApiError) {
        if (error.status === 401) return t('error.unauthenticated');
        if (error.status === 403) return `${t('error.forbidden')} ${error.message}`;
        if (error.status === 404) return t('error.notFound');
        return `${t('error.failed', { status: error.status })} ${error.message}`;
    }
    return t('error.network');
}

export function ErrorBox(props: { error: unknown; retry?: () => void }) {
    return (
        <div class="notice bad" role="alert">
            <p>{errorText(props.error)}</p>
            {props.retry === undefined ? null : (
                <button type="button" onClick={props.retry}>
                    {t('action.retry')}
                </button>
            )}
        </div>
    );
}

export function Loading() {
    return (
        <p class="muted" aria-live="polite">
            {t('common.loading')}
        </p>
    );
}

export function Empty(props: { text: string }) {
    return <p class="muted empty">{props.text}</p>;
}
