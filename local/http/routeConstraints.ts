/**
 * ASP.NET Core route constraints, the ones Azure Functions route templates accept (`{id:int}`, `{name:alpha}`,
 * `{n:range(1,10)}`, ...). An unknown constraint is a start-up error, as in the real host.
 */
export type Constraint = (value: string) => boolean;

const INT32 = { min: -2147483648, max: 2147483647 };
const GUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

function isInteger(value: string): boolean {
    return /^-?\d+$/.test(value);
}

function isNumber(value: string): boolean {
    return value.trim() !== '' && Number.isFinite(Number(value));
}

function numberArgs(args: string[], count: number, name: string): number[] {
    const nums = args.map(Number);
    if (nums.length !== count || nums.some((n) => !Number.isFinite(n))) {
        throw new Error(`Route constraint '${name}' needs ${count} numeric argument(s)`);
    }
    return nums;
}

export function parseConstraint(spec: string): Constraint {
    const match = /^([a-zA-Z]+)(?:\((.*)\))?$/s.exec(spec);
    if (!match?.[1]) throw new Error(`Invalid route constraint '${spec}'`);
    const name = match[1].toLowerCase();
    const raw = match[2];
    const args = raw === undefined ? [] : name === 'regex' ? [raw] : raw.split(',').map((a) => a.trim());
    switch (name) {
        case 'int':
            return (v) => isInteger(v) && Number(v) >= INT32.min && Number(v) <= INT32.max;
        case 'long':
            return (v) => isInteger(v) && BigInt(v) >= -(2n ** 63n) && BigInt(v) < 2n ** 63n;
        case 'bool':
            return (v) => /^(true|false)$/i.test(v);
        case 'alpha':
            return (v) => /^[a-z]+$/i.test(v);
        case 'guid':
            return (v) => GUID.test(v.replace(/^\{(.*)\}$/, '$1'));
        case 'double':
        case 'float':
        case 'decimal':
            return isNumber;
        case 'datetime':
            return (v) => !Number.isNaN(Date.parse(v));
        case 'minlength': {
            const [min = 0] = numberArgs(args, 1, name);
            return (v) => v.length >= min;
        }
        case 'maxlength': {
            const [max = 0] = numberArgs(args, 1, name);
            return (v) => v.length <= max;
        }
        case 'length': {
            const nums = numberArgs(args, args.length === 2 ? 2 : 1, name);
            const [min = 0, max = min] = nums;
            return (v) => v.length >= min && v.length <= max;
        }
        case 'min': {
            const [min = 0] = numberArgs(args, 1, name);
            return (v) => isInteger(v) && Number(v) >= min;
        }
        case 'max': {
            const [max = 0] = numberArgs(args, 1, name);
            return (v) => isInteger(v) && Number(v) <= max;
        }
        case 'range': {
            const [min = 0, max = 0] = numberArgs(args, 2, name);
            return (v) => isInteger(v) && Number(v) >= min && Number(v) <= max;
        }
        case 'regex': {
            const re = new RegExp(args[0] ?? '', 'i');
            return (v) => re.test(v);
        }
        default:
            throw new Error(`Unknown route constraint '${spec}'`);
    }
}
