// The log's two timestamp forms (ISO 8601, and the seed's zone-less UTC) read and shown as UTC.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isoTime, showTime, tsMillis } from '../../src/read/time.ts';

const cases: Array<[string | null, number | null, string, string | null]> = [
  ['2024-05-01T09:30:00.000Z', Date.UTC(2024, 4, 1, 9, 30), '2024-05-01 09:30:00', '2024-05-01T09:30:00.000Z'],
  ['2024-05-01 09:30:00', Date.UTC(2024, 4, 1, 9, 30), '2024-05-01 09:30:00', '2024-05-01T09:30:00.000Z'],
  ['2024-05-01T11:30:00+02:00', Date.UTC(2024, 4, 1, 9, 30), '2024-05-01 09:30:00', '2024-05-01T09:30:00.000Z'],
  ['2024-05-01T09:30:00.5', Date.UTC(2024, 4, 1, 9, 30, 0, 500), '2024-05-01 09:30:00', '2024-05-01T09:30:00.500Z'],
  ['yesterday', null, 'yesterday', null],
  [null, null, '', null],
  ['', null, '', null],
];
for (const [ts, ms, shown, iso] of cases) {
  test(`time: ${JSON.stringify(ts)}`, () => {
    assert.is(tsMillis(ts), ms);
    assert.is(showTime(ts), shown);
    assert.is(isoTime(ts), iso);
  });
}

test.run();
