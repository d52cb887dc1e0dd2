import './styles.css';

import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';

import { api, ApiError, type Caller, functionKey, type Overview, setFunctionKey, takeKeyFromAddress } from './api';
import { ErrorBox, Loading, useLanguage } from './components/common';
import { type Language, language, languages, setLanguage, t } from './i18n';
import { LeadsView } from './views/LeadsView';
import { LeadView } from './views/LeadView';
import { OverviewView } from './views/OverviewView';
import { ProblemsView } from './views/ProblemsView';
import { RulesView } from './views/RulesView';

type Route =
    | { view: 'problems' }
    | { view: 'leads' }
    | { view: 'lead'; leadId: string }
    | { view: 'overview' }
    | { view: 'rules' };

function routeOf(hash: string): Route {
    const path = hash.replace(/^#\/?/u, '');
    const lead = /^leads\/([A-Za-z0-9-]{1,100})$/u.exec(path);
    if (lead?.[1] !== undefined) return { view: 'lead', leadId: lead[1] };
    if (path === 'leads') return { view: 'leads' };
    if (path === 'overview') return { view: 'overview' };
    if (path === 'rules') return { view: 'rules' };
    return { view: 'problems' };
}

function useRoute(): Route {
    const [route, setRoute] = useState(routeOf(location.hash));
    useEffect(() => {
        const onHash = () => {
            setRoute(routeOf(location.hash));
            window.scrollTo(0, 0);
        };
        window.addEventListener('hashchange', onHash);
        return () => window.removeEventListener('hashchange', onHash);
    }, []);
    return route;
}

/** Not signed in: App Service authentication's sign-in with Entra ID, or (function-key mode) the key for this tab. */
function SignIn(props: { error: ApiError; onKey: () => void }) {
    const [key, setKey] = useState('');
    const signIn = typeof props.error.body.signIn === 'string' ? props.error.body.signIn : undefined;
    return (
        <main class="signin card">
            <h1>{t('app.title')}</h1>
            {signIn !== undefined ? (
                <>
                    <p>{t('auth.signInNeeded')}</p>
                    <a class="button" href={`${signIn}?post_login_redirect_uri=${encodeURIComponent('/console/')}`}>
                        {t('auth.signIn')}
                    </a>
                </>
            ) : (
                <form
                    onSubmit={(e) => {
                        e.preventDefault();
                        setFunctionKey(key.trim());
                        props.onKey();
                    }}
                >
                    <p>{functionKey() === undefined ? t('auth.keyNeeded') : t('auth.keyWrong')}</p>
                    <label class="field block">
                        <span>{t('auth.key')}</span>
                        <input
                            type="password"
                            name="key"
                            autocomplete="off"
                            value={key}
                            onInput={(e) => setKey((e.target as HTMLInputElement).value)}
                        />
                    </label>
                    <button type="submit">{t('auth.useKey')}</button>
                </form>
            )}
        </main>
    );
}

function LanguageSwitch() {
    return (
        <label class="language">
            <span class="visually-hidden">{t('app.language')}</span>
            <select
                name="language"
                value={language()}
                onChange={(e) => setLanguage((e.target as HTMLSelectElement).value as Language)}
                aria-label={t('app.language')}
            >
                {Object.entries(languages).map(([code, name]) => (
                    <option key={code} value={code} lang={code}>
                        {name}
                    </option>
                ))}
            </select>
        </label>
    );
}

function App() {
    useLanguage();
    const route = useRoute();
    const [caller, setCaller] = useState<Caller | undefined>(undefined);
    const [authError, setAuthError] = useState<unknown>(undefined);
    const [round, setRound] = useState(0);
    const [offers, setOffers] = useState<string[]>([]);

    useEffect(() => {
        setAuthError(undefined);
        api.get<Caller>('me').then(setCaller, setAuthError);
    }, [round]);
    // A link with the key pasted into a tab that is already open.
    useEffect(() => {
        const onHash = () => {
            if (takeKeyFromAddress()) setRound((n) => n + 1);
        };
        window.addEventListener('hashchange', onHash);
        return () => window.removeEventListener('hashchange', onHash);
    }, []);
    useEffect(() => {
        if (caller === undefined) return;
        api.get<Overview>('overview?days=90').then(
            (o) => setOffers(o.offers.map((x) => x.offer)),
            () => undefined,
        );
    }, [caller]);
    useEffect(() => {
        document.title = t('app.title');
    });

    if (authError instanceof ApiError && authError.status === 401) {
        return <SignIn error={authError} onKey={() => setRound((n) => n + 1)} />;
    }
    if (authError !== undefined)
        return (
            <main class="page">
                <ErrorBox error={authError} retry={() => setRound((n) => n + 1)} />
            </main>
        );
    if (caller === undefined)
        return (
            <main class="page">
                <Loading />
            </main>
        );

    const nav: [Route['view'], string][] = [
        ['problems', t('nav.problems')],
        ['leads', t('nav.leads')],
        ['overview', t('nav.overview')],
        ['rules', t('nav.rules')],
    ];
    const active = route.view === 'lead' ? 'leads' : route.view;
    return (
        <>
            <header class="top">
                <a class="brand" href="#/">
                    {t('app.title')}
                </a>
                <nav aria-label={t('app.navigation')}>
                    {nav.map(([view, text]) => (
                        <a
                            key={view}
                            href={`#/${view === 'problems' ? '' : view}`}
                            aria-current={active === view ? 'page' : undefined}
                        >
                            {text}
                        </a>
                    ))}
                </nav>
                <div class="who">
                    <span class="muted small">
                        {caller.name ?? (caller.mode === 'function-key' ? t('auth.withKey') : '')} (
                        {caller.roles.includes('operate') ? t('auth.roleOperate') : t('auth.roleRead')})
                    </span>
                    <LanguageSwitch />
                </div>
            </header>
            <main class="page">
                {route.view === 'problems' ? <ProblemsView caller={caller} /> : null}
                {route.view === 'leads' ? <LeadsView offers={offers} /> : null}
                {route.view === 'lead' ? <LeadView key={route.leadId} leadId={route.leadId} caller={caller} /> : null}
                {route.view === 'overview' ? <OverviewView /> : null}
                {route.view === 'rules' ? <RulesView caller={caller} /> : null}
            </main>
        </>
    );
}

takeKeyFromAddress();
document.documentElement.lang = language();
render(<App />, document.getElementById('app')!);
