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

    test('when a constraint is unknown then compiling fails', () => {
        expect(() => compileRoute('x/{id:nosuch}')).toThrow(/Unknown route constraint/);
    });
});
