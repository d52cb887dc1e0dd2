/**
 * Looks for personal data in every file of a folder, byte for byte, in each form a store may keep text in: UTF-8
 * (as sent and lower-cased, as the matching forms are), UTF-16LE, JSON with `\u` escapes, and base64 (Azurite's
 * table store keeps a binary property, such as a raw body, as base64 inside its JSON; queue messages are base64 too).
 * Base64 is looked for at each of the three byte alignments: only the characters that depend on the text alone.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface Finding {
    file: string;
    secret: string;
    form: string;
}

/** JSON with every non-ASCII UTF-16 unit written `\uXXXX` (in lower- or upper-case hex). */
function jsonEscaped(text: string, upper: boolean): string {
    let out = '';
    for (let i = 0; i < text.length; i++) {
        const unit = text.charCodeAt(i);
        const hex = unit.toString(16).padStart(4, '0');
        out += unit < 0x80 ? text[i] : `\\u${upper ? hex.toUpperCase() : hex}`;
    }
    return out;
}

/** The byte sequences `secret` may be stored as, each named. */
export function storedForms(secret: string): { form: string; bytes: Buffer }[] {
    const forms: { form: string; bytes: Buffer }[] = [];
    for (const [variant, text] of [
        ['as sent', secret],
        ['lower-cased', secret.toLowerCase()],
    ] as const) {
        const utf8 = Buffer.from(text, 'utf8');
        forms.push({ form: `${variant} UTF-8`, bytes: utf8 });
        forms.push({ form: `${variant} UTF-16LE`, bytes: Buffer.from(text, 'utf16le') });
        for (const upper of [false, true]) {
            const escaped = jsonEscaped(text, upper);
            if (escaped !== text) forms.push({ form: `${variant} JSON-escaped`, bytes: Buffer.from(escaped, 'utf8') });
        }
        for (let shift = 0; shift < 3; shift++) {
            const encoded = Buffer.concat([Buffer.alloc(shift), utf8]).toString('base64');
            // Drop the characters that also carry the unknown neighbouring bytes.
            const inner = encoded.slice(shift === 0 ? 0 : 4, encoded.length - 4);
            if (inner.length >= 8)
                forms.push({ form: `${variant} base64+${shift}`, bytes: Buffer.from(inner, 'latin1') });
        }
    }
    return forms;
}

function filesUnder(dir: string): string[] {
    return readdirSync(dir, { recursive: true, encoding: 'utf8' })
        .map((entry) => join(dir, entry))
        .filter((path) => statSync(path).isFile());
}

/** Every place any of `secrets` is stored under `dir`, in any of its forms. */
export function scanFolder(dir: string, secrets: readonly string[]): Finding[] {
    const findings: Finding[] = [];
    const forms = secrets.map((secret) => ({ secret, forms: storedForms(secret) }));
    for (const file of filesUnder(dir)) {
        const data = readFileSync(file);
        for (const { secret, forms: list } of forms) {
            for (const { form, bytes } of list) {
                if (data.includes(bytes)) findings.push({ file: relative(dir, file), secret, form });
            }
        }
    }
    return findings;
}
