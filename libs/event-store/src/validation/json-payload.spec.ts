import {
  MAX_JSON_DEPTH,
  checkJsonPayload,
  fieldPath,
  findLoneSurrogate,
  hasLoneSurrogate,
  jsonDepthExceeds,
  jsonHasLoneSurrogate,
} from './json-payload';
import { Violations, isBigintText, isCheckpoint } from './rules';
import { MAX_SUBJECT_IDS, checkSubjectIds } from './subject-ids';

const nest = (levels: number): unknown => {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = i % 2 ? [value] : { k: value };
  return value;
};

describe('JSON payload rules', () => {
  it('tells lone surrogates from paired ones, in strings and in serialized JSON', () => {
    for (const bad of ['\ud800', 'a\udc00', '\udbff\ud800', '😀\ud83d']) expect(hasLoneSurrogate(bad)).toBe(true);
    for (const ok of ['', 'plain', '😀', 'é', '\\ud800']) expect(hasLoneSurrogate(ok)).toBe(false);
    expect(jsonHasLoneSurrogate(JSON.stringify({ a: 'x\ud800' }))).toBe(true);
    expect(jsonHasLoneSurrogate(JSON.stringify({ ['\udfff']: 1 }))).toBe(true);
    expect(jsonHasLoneSurrogate(JSON.stringify({ a: '😀' }))).toBe(false);
    // The six characters \ud800 as text, not the code unit.
    expect(jsonHasLoneSurrogate(JSON.stringify({ a: '\\ud800' }))).toBe(false);
    expect(jsonHasLoneSurrogate(JSON.stringify({ a: '\\\ud800' }))).toBe(true);
  });

  it('names the path of the first lone surrogate in a value or a key', () => {
    expect(findLoneSurrogate({ a: { b: ['ok', 'x\ud800'] } }, 'data')).toBe('data.a.b[1]');
    expect(findLoneSurrogate({ a: { ['\ud800']: 1 } }, 'data')).toBe('data.a["\\ud800"]');
    expect(findLoneSurrogate({ 'a-b': '\udc00' }, 'data')).toBe('data["a-b"]');
    expect(findLoneSurrogate({ a: ['😀'] }, 'data')).toBeUndefined();
    expect(fieldPath('', 'title')).toBe('title');
  });

  it('measures the nesting depth of JSON text in one pass, ignoring brackets inside strings', () => {
    expect(jsonDepthExceeds(JSON.stringify(nest(MAX_JSON_DEPTH)), MAX_JSON_DEPTH)).toBe(false);
    expect(jsonDepthExceeds(JSON.stringify(nest(MAX_JSON_DEPTH + 1)), MAX_JSON_DEPTH)).toBe(true);
    // Brackets inside strings (also after escaped quotes) do not count.
    expect(jsonDepthExceeds(JSON.stringify({ s: '"[[[[[[[[' + '{'.repeat(300) }), 5)).toBe(false);
    expect(jsonDepthExceeds('['.repeat(200_000) + ']'.repeat(200_000), MAX_JSON_DEPTH)).toBe(true);
  });

  it('reports a too-deep payload once, and a lone surrogate by its path', () => {
    const v = new Violations();
    const tooDeep = nest(MAX_JSON_DEPTH + 1);
    checkJsonPayload(v, 'events[0].data', tooDeep, JSON.stringify(tooDeep));
    const bad = { title: 'x\ud800' };
    checkJsonPayload(v, 'events[1].data', bad, JSON.stringify(bad));
    const ok = { title: 'fine 😀' };
    checkJsonPayload(v, 'events[2].data', ok, JSON.stringify(ok));
    expect(v.list.map((x) => x.field)).toEqual(['events[0].data', 'events[1].data.title']);
  });
});

describe('subject ids', () => {
  const fields = (metadata: Record<string, unknown>): string[] => {
    const v = new Violations();
    checkSubjectIds(v, 'metadata', metadata);
    return v.list.map((x) => x.field);
  };

  it('accepts a subject id string and an array of them', () => {
    expect(fields({ subjectId: 'cust-1', subjectIds: ['a', 'b'] })).toEqual([]);
    expect(fields({ subjectIds: [] })).toEqual([]);
    expect(fields({ other: 42 })).toEqual([]);
  });

  it('rejects subject ids of any other type, empty, too long or with invalid Unicode', () => {
    for (const subjectId of [42, ['a'], { id: 'a' }, null, true, '', 's'.repeat(201), 'a\ud800', 'a\nb'])
      expect(fields({ subjectId })).toEqual(['metadata.subjectId']);
    expect(fields({ subjectIds: 'a' })).toEqual(['metadata.subjectIds']);
    expect(fields({ subjectIds: Array.from({ length: MAX_SUBJECT_IDS + 1 }, (_, i) => `s${i}`) })).toEqual(['metadata.subjectIds']);
    expect(fields({ subjectIds: ['ok', 7, '', { id: 1 }] })).toEqual([
      'metadata.subjectIds[1]',
      'metadata.subjectIds[2]',
      'metadata.subjectIds[3]',
    ]);
  });
});

describe('bigint-sized numbers in cursors and checkpoints', () => {
  it('accepts decimal text from 0 to 2^63 - 1 and nothing else', () => {
    for (const ok of ['0', '1', '9223372036854775807', '0009223372036854775807'.slice(3)]) expect(isBigintText(ok)).toBe(true);
    for (const bad of ['9223372036854775808', '18446744073709551616', '-1', '1.5', '', '1e3', 12, null])
      expect(isBigintText(bad)).toBe(false);
    expect(isCheckpoint({ transactionId: '5', globalPosition: '9223372036854775807' })).toBe(true);
    expect(isCheckpoint({ transactionId: '18446744073709551615', globalPosition: '1' })).toBe(false);
    expect(isCheckpoint(null)).toBe(false);
  });
});
