import { useState } from 'preact/hooks';

import { api, type Caller, type Rules, type WhatIf } from '../api';
import { Badge, Empty, ErrorBox, errorText, Grade, Loading, Section, useLoad } from '../components/common';
import { formatDateTime, label, t } from '../i18n';

/** A JsonLogic condition in one readable line (`action == "contact-me"`), the JSON itself when it is unusual. */
export function readable(logic: unknown): string {
    if (logic === true || logic === false || typeof logic === 'number' || typeof logic === 'string')
        return JSON.stringify(logic);
    if (typeof logic !== 'object' || logic === null) return String(logic);
    const entries = Object.entries(logic as Record<string, unknown>);
    if (entries.length !== 1) return JSON.stringify(logic);
    const [op, raw] = entries[0]!;
    const args = Array.isArray(raw) ? raw : [raw];
    if (op === 'var') return String(args[0]);
    if (op === 'and' || op === 'or') return args.map((a) => `(${readable(a)})`).join(` ${op} `);
    if (op === '!') return `not (${readable(args[0])})`;
    if (args.length === 2) return `${readable(args[0])} ${op} ${readable(args[1])}`;
    return JSON.stringify(logic);
}

/** The active rules, readably, and a what-if of a proposed configuration over the last stored leads. */
export function RulesView(props: { caller: Caller }) {
    const [loaded, reload] = useLoad(() => api.get<Rules>('rules'), []);
    const [draft, setDraft] = useState<string | undefined>(undefined);
    const [count, setCount] = useState(50);
    const [result, setResult] = useState<WhatIf | undefined>(undefined);
    const [problem, setProblem] = useState<string | undefined>(undefined);
    const [running, setRunning] = useState(false);
    const [onlyChanged, setOnlyChanged] = useState(true);
    if (loaded.state === 'loading') return <Loading />;
    if (loaded.state === 'failed') return <ErrorBox error={loaded.error} retry={reload} />;
    const rules = loaded.value;
    const p = rules.pipeline;
    const text = draft ?? JSON.stringify(p, null, 2);
    const canOperate = props.caller.roles.includes('operate');
    const grades = p.scoring.grades;

    const run = async () => {
        setProblem(undefined);
        setResult(undefined);
        let config: unknown;
        try {
            config = JSON.parse(text);
        } catch {
            setProblem(t('rules.notJson'));
            return;
        }
        setRunning(true);
        try {
            setResult(await api.post<WhatIf>('rules/what-if', { config, count }));
        } catch (err) {
            const problems = (err as { body?: { problems?: { path: string; message: string }[] } }).body?.problems;
            setProblem(
                problems && problems.length > 0
                    ? problems.map((x) => `${x.path}: ${x.message}`).join('\n')
                    : errorText(err),
            );
        }
        setRunning(false);
    };

    return (
        <div class="rules">
            <Section title={t('rules.active', { version: rules.version })} id="active-rules">
                {p.description ? <p>{p.description}</p> : null}
                <h3>{t('rules.qualification')}</h3>
                <table class="rules-table">
                    <tbody>
                        {p.qualification.rules.map((r) => (
                            <tr key={r.id}>
                                <td>
                                    <code>{r.id}</code>
                                </td>
                                <td>{r.description}</td>
                                <td>
                                    <Badge group="outcome" code={r.outcome} />
                                </td>
                                <td>
                                    <code class="logic">{readable(r.when)}</code>
                                </td>
                            </tr>
                        ))}
                    </tbody>
                </table>
                <h3>{t('rules.scoring')}</h3>
                <table class="rules-table">
                    <tbody>
                        {p.scoring.rules.map((r) => (
                            <tr key={r.id}>
                                <td>
                                    <code>{r.id}</code>
                                </td>
                                <td>{r.description}</td>
                                <td class={`num ${r.points < 0 ? 'neg' : 'pos'}`}>
                                    {r.points > 0 ? `+${r.points}` : r.points}
                                </td>
                                <td>
                                    <code class="logic">{readable(r.when)}</code>
                                </td>
                            </tr>
                        ))}
                    </tbody>
                </table>
                <p>
                    {grades.map((g) => (
                        <span key={g.grade} class="grade-rule">
                            <Grade grade={g.grade} /> ≥ {g.minPoints}
                        </span>
                    ))}
                    {typeof p.scoring.defaultGrade === 'string' ? (
                        <span class="grade-rule">
                            <Grade grade={p.scoring.defaultGrade} /> {t('rules.otherwise')}
                        </span>
                    ) : null}
                </p>
                <h3>{t('rules.routing', { mode: p.routing.mode })}</h3>
                <table class="rules-table">
                    <tbody>
                        {p.routing.rules.map((r) => (
                            <tr key={r.id}>
                                <td>
                                    <code>{r.id}</code>
                                </td>
                                <td>{r.description}</td>
                                <td>→ {r.targets.join(', ')}</td>
                                <td>
                                    <code class="logic">{readable(r.when)}</code>
                                </td>
                            </tr>
                        ))}
                        <tr>
                            <td>
                                <code>default</code>
                            </td>
                            <td>{t('rules.default')}</td>
                            <td>→ {p.routing.default.targets.join(', ')}</td>
                            <td />
                        </tr>
                    </tbody>
                </table>
                <h3>{t('rules.targets')}</h3>
                <ul class="targets">
                    {Object.entries(p.targets).map(([name, target]) => (
                        <li key={name}>
                            <strong>{name}</strong>{' '}
                            <span class="muted">
                                ({target.type}, {target.role})
                            </span>{' '}
                            <Badge group="status" code={rules.targets[name]?.enabled ? 'healthy' : 'off'} />{' '}
                            <span class="muted small">{rules.targets[name]?.reason ?? ''}</span>
                        </li>
                    ))}
                </ul>
            </Section>
            <Section title={t('rules.whatIf')} id="what-if">
                {!canOperate ? (
                    <p class="muted">{t('rules.needsOperate')}</p>
                ) : (
                    <>
                        <p class="muted">{t('rules.whatIfHelp')}</p>
                        <label class="field block">
                            <span>{t('rules.proposed')}</span>
                            <textarea
                                name="config"
                                rows={16}
                                spellcheck={false}
                                value={text}
                                onInput={(e) => setDraft((e.target as HTMLTextAreaElement).value)}
                            />
                        </label>
                        <div class="toolbar">
                            <label class="field">
                                <span>{t('rules.count')}</span>
                                <input
                                    type="number"
                                    name="count"
                                    min={1}
                                    max={200}
                                    value={count}
                                    onInput={(e) => setCount(Number((e.target as HTMLInputElement).value))}
                                />
                            </label>
                            <button type="button" onClick={() => void run()} disabled={running}>
                                {running ? t('common.loading') : t('action.runWhatIf')}
                            </button>
                            <button type="button" class="link" onClick={() => setDraft(undefined)}>
                                {t('action.resetDraft')}
                            </button>
                        </div>
                    </>
                )}
                {problem !== undefined ? (
                    <pre class="notice bad" role="alert">
                        {problem}
                    </pre>
                ) : null}
                {result !== undefined ? (
                    <div class="what-if-result" id="what-if-result">
                        <p class="status-banner">
                            <strong>
                                {t('rules.changed', { changed: result.changed, evaluated: result.evaluated })}
                            </strong>{' '}
                            <span class="muted">{t('rules.byChange', result.byChange)}</span>
                        </p>
                        <label class="check">
                            <input
                                type="checkbox"
                                checked={onlyChanged}
                                onChange={() => setOnlyChanged(!onlyChanged)}
                            />{' '}
                            {t('rules.onlyChanged')}
                        </label>
                        {result.leads.filter((l) => !onlyChanged || l.changes.length > 0).length === 0 ? (
                            <Empty text={t('rules.noChange')} />
                        ) : (
                            <div class="table-wrap">
                                <table class="what-if">
                                    <thead>
                                        <tr>
                                            <th scope="col">{t('col.person')}</th>
                                            <th scope="col">{t('col.received')}</th>
                                            <th scope="col">{t('col.grade')}</th>
                                            <th scope="col">{t('col.qualification')}</th>
                                            <th scope="col">{t('rules.targetsColumn')}</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {result.leads
                                            .filter((l) => !onlyChanged || l.changes.length > 0)
                                            .map((l) => (
                                                <tr key={l.leadId} class={l.changes.length > 0 ? 'changed' : undefined}>
                                                    <td data-label={t('col.person')}>
                                                        <a href={`#/leads/${encodeURIComponent(l.leadId)}`}>
                                                            {l.name ?? l.company ?? l.leadId}
                                                        </a>
                                                    </td>
                                                    <td data-label={t('col.received')}>
                                                        {formatDateTime(l.receivedAt)}
                                                    </td>
                                                    <td data-label={t('col.grade')}>
                                                        {l.current.grade} ({l.current.points}) →{' '}
                                                        <strong>{l.proposed.grade}</strong> ({l.proposed.points})
                                                    </td>
                                                    <td data-label={t('col.qualification')}>
                                                        {label('outcome', l.current.outcome)} →{' '}
                                                        <strong>{label('outcome', l.proposed.outcome)}</strong>
                                                    </td>
                                                    <td data-label={t('rules.targetsColumn')}>
                                                        {l.current.targets.join(', ') || '—'} →{' '}
                                                        <strong>{l.proposed.targets.join(', ') || '—'}</strong>
                                                    </td>
                                                </tr>
                                            ))}
                                    </tbody>
                                </table>
                            </div>
                        )}
                    </div>
                ) : null}
            </Section>
        </div>
    );
}
