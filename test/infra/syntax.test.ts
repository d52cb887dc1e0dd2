import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { infraDir, modules, parseBicep, repoRoot, syntaxErrors, templates } from './bicepTemplates';

describe('Bicep syntax (tree-sitter-bicep)', () => {
    it('when the infra folder is parsed, then it holds main.bicep and a module per concern', () => {
        const files = templates().map((t) => t.file);
        expect(files).toEqual(
            expect.arrayContaining([
                'main.bicep',
                'app/api.bicep',
                'app/storage.bicep',
                'app/servicebus.bicep',
                'app/monitoring.bicep',
                'app/keyvault.bicep',
                'app/identity.bicep',
                'app/alerts.bicep',
                'app/workbook.bicep',
                'app/durableTaskScheduler.bicep',
            ]),
        );
    });

    it.each(templates().map((t) => [t.file, t] as const))('when %s is parsed, then it has no syntax error', (_f, t) => {
        expect(syntaxErrors(t.root)).toEqual([]);
    });

    it('when a template is broken, then the check reports where', () => {
        const broken = "param a string\nresource r 'Microsoft.Web/sites@2024-04-01' = {\n  name: a ++ 'x'\n";
        const errors = syntaxErrors(parseBicep(broken));
        expect(errors.length).toBeGreaterThan(0);
        expect(errors.join('\n')).toMatch(/\d+:\d+/);
    });

    it('when a template references a module, then the module file exists', () => {
        const missing = templates().flatMap((t) =>
            modules(t)
                .filter((m) => !m.path.startsWith('br:') && !m.path.startsWith('br/'))
                .map((m) => join(infraDir, dirname(t.file), m.path))
                .filter((p) => !existsSync(p)),
        );
        expect(missing).toEqual([]);
    });

    it('when a template loads a file (loadTextContent / loadJsonContent), then that file exists and JSON parses', () => {
        for (const t of templates()) {
            for (const m of t.source.matchAll(/load(Text|Json)Content\('([^']+)'\)/g)) {
                const file = join(infraDir, dirname(t.file), m[2]!);
                expect(existsSync(file)).toBe(true);
                if (file.endsWith('.json'))
                    expect(() => JSON.parse(readFileSync(file, 'utf8')) as unknown).not.toThrow();
            }
        }
    });

    it('when azd reads azure.yaml, then service api deploys this folder as a TypeScript function app with its hooks', () => {
        const yaml = readFileSync(join(repoRoot, 'azure.yaml'), 'utf8');
        expect(yaml).toMatch(/services:\s*\n\s+api:\s*\n\s+project: \.\s*\n\s+language: ts\s*\n\s+host: function/);
        for (const hook of yaml.matchAll(/run: (\.\/\S+)/g)) expect(existsSync(join(repoRoot, hook[1]!))).toBe(true);
    });

    it('when azd fills main.parameters.json, then every parameter it sets is declared in main.bicep', () => {
        const parameters = JSON.parse(readFileSync(join(infraDir, 'main.parameters.json'), 'utf8')) as {
            parameters: Record<string, unknown>;
        };
        const main = templates().find((t) => t.file === 'main.bicep')!;
        const declared = main.root.descendantsOfType('parameter_declaration').map((p) => p.namedChildren[0]!.text);
        expect(Object.keys(parameters.parameters).filter((p) => !declared.includes(p))).toEqual([]);
    });
});
