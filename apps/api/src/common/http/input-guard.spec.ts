import { BadRequestException } from '@nestjs/common';
import { MAX_BODY_DEPTH, guardInput } from './input-guard';

const messageOf = (value: unknown, name?: string): unknown => {
  try {
    guardInput(value, name);
  } catch (e) {
    expect(e).toBeInstanceOf(BadRequestException);
    return ((e as BadRequestException).getResponse() as { message: unknown }).message;
  }
  return undefined;
};

describe('guardInput', () => {
  it('passes ordinary bodies, queries and parameters', () => {
    expect(messageOf({ title: 'fine 😀', list: [{ a: 1 }] })).toBeUndefined();
    expect(messageOf('req-1', 'id')).toBeUndefined();
    expect(messageOf(undefined)).toBeUndefined();
  });

  it('refuses nesting beyond MAX_BODY_DEPTH, naming the top-level field, without recursing', () => {
    const deep = JSON.parse(`{"ok":1,"events":${'['.repeat(200_000)}${']'.repeat(200_000)}}`);
    expect(messageOf(deep)).toEqual([`events: must not nest objects and arrays more than ${MAX_BODY_DEPTH} levels deep`]);
    expect(messageOf(JSON.parse('['.repeat(MAX_BODY_DEPTH) + ']'.repeat(MAX_BODY_DEPTH)))).toBeUndefined();
  });

  it('refuses lone surrogates in values, keys and single parameters, naming them', () => {
    expect(messageOf({ events: [{ data: { title: '\ud800' } }] })).toEqual([
      expect.stringMatching(/^events\[0\]\.data\.title: must not contain unpaired/),
    ]);
    expect(messageOf({ ['\udc00']: 1 })).toEqual([expect.stringMatching(/^\["\\udc00"\]: /)]);
    expect(messageOf('a\ud800', 'id')).toEqual([expect.stringMatching(/^id: /)]);
  });
});
