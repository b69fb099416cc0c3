/**
 * Control and bidi-override characters in names and descriptions: refused in every mutation input that has one,
 * found from the schema itself (so an input added later is covered), with the field path and before any upstream call.
 */
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLInputType,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { uncleanText } from '../../src/gateway/inputs/text-hygiene';
import { createGatewaySchema } from '../../src/gateway/schema';
import { useStack } from '../helpers/stack';

const schema = createGatewaySchema();
const TEXT_KEY = /^(name|description)$|Name$|NamePrefix$/;

/** A value of `type` with every required field filled (lists with one item), and the paths of its name-like strings. */
function sample(type: GraphQLInputType, path: string, texts: string[]): unknown {
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) return [sample(inner.ofType, `${path}[0]`, texts)];
  if (isInputObjectType(inner)) {
    const value: Record<string, unknown> = {};
    for (const field of Object.values(inner.getFields())) {
      const named = getNamedType(field.type);
      const isText = TEXT_KEY.test(field.name) && isScalarType(named) && named.name === 'String';
      if (isText) texts.push(`${path}.${field.name}`);
      // Required fields, text fields, and lists of inputs (which may hold names: resources[].name).
      const nestedInput = isInputObjectType(named) && (isListType(isNonNullType(field.type) ? field.type.ofType : field.type) || isNonNullType(field.type));
      if (isNonNullType(field.type) || isText || nestedInput) value[field.name] = sample(field.type, `${path}.${field.name}`, texts);
    }
    return value;
  }
  if (isEnumType(inner)) return inner.getValues()[0]!.value;
  switch ((inner as { name: string }).name) {
    case 'Int':
    case 'Float':
      return 1;
    case 'Boolean':
      return true;
    default:
      return 'a1';
  }
}

function setAt(value: any, path: string, text: string): void {
  const keys = path.split(/\.|\[(\d+)\]/).filter((k) => k !== undefined && k !== '');
  let target = value;
  for (const key of keys.slice(1, -1)) target = target[key];
  target[keys.at(-1)!] = text;
}

/** Every (mutation, argument type, name path) of the schema. */
const cases = Object.values(schema.getMutationType()!.getFields()).flatMap((field) =>
  field.args.flatMap((arg) => {
    const texts: string[] = [];
    sample(arg.type, arg.name, texts);
    return texts.map((path) => ({ mutation: field.name, arg: arg.name, type: String(arg.type), path }));
  }),
);

describe('uncleanText', () => {
  it.each([
    ['NUL', 'vault\u0000x', '0000'],
    ['ESC', '\u001b[31mred', '001B'],
    ['a line feed', 'a\nb', '000A'],
    ['DEL', 'a\u007fb', '007F'],
    ['a C1 control', 'a\u0085b', '0085'],
    ['RIGHT-TO-LEFT OVERRIDE', 'invoice\u202Efdp.exe', '202E'],
    ['FIRST STRONG ISOLATE', 'a\u2068b', '2068'],
  ])('refuses %s', (_, text, code) => {
    expect(uncleanText({ name: text }, 'input')?.message).toBe(`input.name: must not contain control or bidirectional-override characters (found U+${code})`);
  });

  it('accepts other scripts, emoji and spaces, and leaves other keys alone', () => {
    expect(uncleanText({ name: 'Sicherung – Größe 日本 ✓', description: 'tab-free text', id: 'a\u0000' }, 'input')).toBeUndefined();
  });
});

describe('every name of every mutation input', () => {
  const stack = useStack();

  it('covers the names the issue found unchecked', () => {
    expect(cases.map((c) => `${c.mutation} ${c.path}`)).toEqual(
      expect.arrayContaining(['createVault input.name', 'createVault input.description', 'updateVault input.name', 'createPolicy input.name', 'createRestorePoint input.name']),
    );
  });

  it.each(cases)('$mutation refuses U+202E and NUL in $path', async ({ mutation, arg, type, path }) => {
    for (const bad of ['back\u202Eup', 'back\u0000up']) {
      const texts: string[] = [];
      const value = sample(schema.getMutationType()!.getFields()[mutation]!.args.find((a) => a.name === arg)!.type, arg, texts);
      setAt(value, path, bad);
      const res = await stack.execute(`mutation ($v: ${type}) { ${mutation}(${arg}: $v) { __typename } }`, { v: value });
      expect(res.errors).toEqual([
        expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', field: path }, message: expect.stringContaining(`${path}: must not contain`) }),
      ]);
    }
    expect(stack.calls()).toEqual([]);
  });
});
