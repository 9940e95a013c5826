import { EventValidationError } from '../errors/event-validation.error';
import {
  Violations,
  assertKnownOptions,
  assertOptionalInt,
  assertTenantId,
  checkId,
  checkTypeName,
  containsEscapedNul,
  isPlainObject,
  isUuid,
} from './rules';

describe('validation rules', () => {
  it('accepts tenant ids of letters, digits, dot, dash and underscore only', () => {
    for (const ok of ['acme', 'a', 'Tenant_1.eu-west', '9'.repeat(64)]) expect(() => assertTenantId(ok)).not.toThrow();
    for (const bad of ['', '-acme', '.acme', 'a b', 'a/b', "a'b", 'a'.repeat(65), null, 7])
      expect(() => assertTenantId(bad)).toThrow(EventValidationError);
  });

  it('finds a real NUL character in serialized JSON but not the escaped text "\\u0000"', () => {
    expect(containsEscapedNul(JSON.stringify({ a: 'x\u0000y' }))).toBe(true);
    expect(containsEscapedNul(JSON.stringify({ a: '\u0000' }))).toBe(true);
    expect(containsEscapedNul(JSON.stringify({ a: '\\u0000' }))).toBe(false);
    expect(containsEscapedNul(JSON.stringify({ a: '\\\u0000' }))).toBe(true);
    expect(containsEscapedNul(JSON.stringify({ a: 'plain' }))).toBe(false);
  });

  it('tells plain objects from arrays, null, dates and class instances', () => {
    expect(isPlainObject({})).toBe(true);
    expect(isPlainObject(Object.create(null))).toBe(true);
    for (const no of [[], null, new Date(), 'x', 1, new (class X {})()]) expect(isPlainObject(no)).toBe(false);
  });

  it('checks ids, type names, uuids and integers', () => {
    const v = new Violations();
    checkId(v, 'id', 'ok-id');
    checkTypeName(v, 'type', 'Order.Placed:v2');
    expect(v.list).toEqual([]);
    checkId(v, 'a', '');
    checkId(v, 'b', 'x\ty');
    checkTypeName(v, 'c', '9Lives');
    expect(v.list.map((x) => x.field)).toEqual(['a', 'b', 'c']);
    expect(() => v.throwIfAny()).toThrow(EventValidationError);
    expect(isUuid('1B4E28BA-2FA1-41D2-883F-0016D3CCA427')).toBe(true);
    expect(isUuid('1b4e28ba2fa141d2883f0016d3cca427')).toBe(false);
    expect(() => assertOptionalInt('n', undefined, 1)).not.toThrow();
    expect(() => assertOptionalInt('n', 0, 1)).toThrow(/n/);
    expect(() => assertOptionalInt('n', 11, 1, 10)).toThrow(EventValidationError);
  });

  it('names unknown option keys', () => {
    expect(() => assertKnownOptions('options', { limit: 1 }, ['limit'])).not.toThrow();
    expect(() => assertKnownOptions('options', undefined, ['limit'])).not.toThrow();
    try {
      assertKnownOptions('options', { limit: 1, offset: 2 }, ['limit']);
      throw new Error('expected a validation error');
    } catch (error) {
      expect((error as EventValidationError).violations).toEqual([{ field: 'options', reason: expect.stringContaining('offset') }]);
    }
  });
});
