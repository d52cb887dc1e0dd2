/**
 * Seniority from a job title, by keywords in English, German, French, Spanish, Portuguese, Italian, Dutch, Japanese
 * and Chinese. Checked from most to least senior, and `vice president` before `president`, so the highest match wins.
 */
import { normaliseForMatch } from './text';

export type TitleSeniority = 'c-level' | 'vp' | 'director' | 'manager' | 'individual' | 'unknown';

// \b does not work around CJK or accented letters; latin keywords use explicit non-letter boundaries.
const word = (alternatives: string): RegExp =>
    new RegExp(`(?:^|[^\\p{L}\\p{N}])(?:${alternatives})(?=$|[^\\p{L}\\p{N}])`, 'u');

const levels: readonly [TitleSeniority, RegExp][] = [
    [
        'vp',
        word(
            'vice[ -]?president(?:e|a)?|vice[ -]?présidente?|vizepräsident(?:in)?|vp|svp|evp|avp|vp of|vicepresidente',
        ),
    ],
    ['vp', /副总裁|副社長|副總裁|執行役員/u],
    [
        'c-level',
        word(
            'ceo|cto|cio|cfo|coo|cmo|cso|ciso|cdo|cro|cpo|chief|founder|co-?founder|owner|president|presidente?|président|' +
                'managing director|geschäftsführer(?:in)?|inhaber(?:in)?|vorstand|pdg|directeur général|directrice générale|' +
                'director general|directora general|diretor geral|amministratore delegato|algemeen directeur|eigenaar|oprichter|' +
                'mede-?oprichter',
        ),
    ],
    ['c-level', /社長|代表取締役|取締役|首席|总裁|總裁|董事长|董事長|创始人|創辦人|总经理|總經理/u],
    [
        'director',
        word(
            'director|directora|directeur|directrice|diretor|diretora|direttore|direktor(?:in)?|head|leiter(?:in)?|bereichsleiter(?:in)?|responsable|hoofd|afdelingshoofd',
        ),
    ],
    ['director', /部長|本部長|总监|總監|主任/u],
    [
        'manager',
        word(
            'manager|managerin|gerente|gestionnaire|chef|lead|leader|supervisor|coordinator|teamleiter(?:in)?|responsabile|teamleider|leidinggevende',
        ),
    ],
    ['manager', /課長|係長|マネージャー|经理|經理|主管/u],
];

export function titleSeniorityOf(title: string | undefined): TitleSeniority {
    if (title === undefined) return 'unknown';
    const t = normaliseForMatch(title.slice(0, 500));
    if (t === '') return 'unknown';
    for (const [level, pattern] of levels) if (pattern.test(t)) return level;
    return 'individual';
}
