import { compareRoutes, compileRoute } from '../../../local/http/routeTemplate';

describe('route templates', () => {
    test('when a template has constraints then only conforming values match', () => {
        const route = compileRoute('orders/{id:int}/lines/{line:alpha:maxlength(3)}');
        expect(route.match('orders/12/lines/ab')).toEqual({ id: '12', line: 'ab' });
        expect(route.match('orders/x/lines/ab')).toBeUndefined();
        expect(route.match('orders/12/lines/abcd')).toBeUndefined();
    });

    test('when a parameter has a default or is optional then the segment may be missing', () => {
        expect(compileRoute('page/{n=1}').match('page')).toEqual({ n: '1' });
        expect(compileRoute('page/{n:int?}').match('page')).toEqual({});
        expect(compileRoute('page/{n:int?}').match('page/x')).toBeUndefined();
    });

    test('when a segment mixes literals and parameters then both parts are captured', () => {
        expect(compileRoute('files/{name}.{ext}').match('files/report.pdf')).toEqual({ name: 'report', ext: 'pdf' });
    });

    test('when values are percent-encoded then parameters are decoded', () => {
        expect(compileRoute('who/{name}').match('who/J%C3%BCrgen')).toEqual({ name: 'Jürgen' });
    });

    test('when routes are sorted then literals come before parameters and catch-alls last', () => {
        const routes = ['{*all}', 'a/{id}', 'a/b', 'a/{id:int}'].map(compileRoute).sort(compareRoutes);
        expect(routes.map((r) => r.template)).toEqual(['a/b', 'a/{id:int}', 'a/{id}', '{*all}']);
    });

    test('when a template doubles braces then they are literal braces', () => {
        expect(compileRoute('a{{b}}/{id}').match('a{b}/5')).toEqual({ id: '5' });
    });

    test('when a constraint is unknown then compiling fails', () => {
        expect(() => compileRoute('x/{id:nosuch}')).toThrow(/Unknown route constraint/);
    });
});

describe('route constraints', () => {
    const matches = (template: string, value: string): boolean => compileRoute(template).match(value) !== undefined;

    test('when a constraint names a type then values of that type match and others do not', () => {
        expect(matches('{v:bool}', 'TRUE')).toBe(true);
        expect(matches('{v:bool}', 'yes')).toBe(false);
        expect(matches('{v:guid}', '3f2504e0-4f89-11d3-9a0c-0305e82c3301')).toBe(true);
        expect(matches('{v:guid}', '3f2504e0')).toBe(false);
        expect(matches('{v:double}', '-1.5')).toBe(true);
        expect(matches('{v:double}', 'x1')).toBe(false);
        expect(matches('{v:datetime}', '2026-01-31')).toBe(true);
        expect(matches('{v:datetime}', 'not-a-date')).toBe(false);
        expect(matches('{v:long}', '9007199254740993')).toBe(true);
        expect(matches('{v:long}', '9223372036854775808')).toBe(false);
    });

    test('when a constraint has arguments then lengths, bounds and patterns apply', () => {
        expect(matches('{v:length(2,3)}', 'abcd')).toBe(false);
        expect(matches('{v:min(10)}', '9')).toBe(false);
        expect(matches('{v:max(10)}', '10')).toBe(true);
        expect(matches('{v:regex(^[a-z]{{2}}\\d+$)}', 'ab12')).toBe(true);
        expect(matches('{v:regex(^\\d+$)}', 'ab')).toBe(false);
    });
});
