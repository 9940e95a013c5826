import { types } from 'pg';
import { parseTimestamptz } from './type-parsers';

const pgParse = types.getTypeParser(1184, 'text') as (text: string) => Date;

describe('parseTimestamptz', () => {
  it.each([
    '2026-11-23 17:58:41.123456+00',
    '2026-11-23 17:58:41+00',
    '2026-11-23 17:58:41.1+02',
    '2026-01-01 00:00:00.999999-05',
    '2024-02-29 23:59:59.5+05:30',
    '1999-12-31 23:59:59.000001+00',
    '2026-11-23 17:58:41.123456-03:30',
  ])('reads %s as pg does', (text) => {
    expect(parseTimestamptz(text).getTime()).toBe(pgParse(text).getTime());
  });

  it.each(['infinity', '-infinity', '0044-03-15 12:00:00+00 BC', '12026-01-01 00:00:00+00', '0099-01-01 00:00:00+00', 'garbage'])(
    "hands %s to pg's parser",
    (text) => {
      const ours = parseTimestamptz(text) as unknown;
      const theirs = pgParse(text) as unknown;
      expect(ours instanceof Date ? ours.getTime() : ours).toEqual(theirs instanceof Date ? theirs.getTime() : theirs);
    },
  );
});
