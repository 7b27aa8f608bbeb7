// Which files of the segments folder are segments (src/store/view.ts): the names finalize gives them
// (the time of their newest row, then a hash of their bytes), nothing else.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isSegmentName } from '../../src/store/view.ts';

const HASH = '0123456789abcdef0123456789abcdef';
const names: Array<[string, boolean]> = [
  [`20240501T100000Z-${HASH}.db`, true],
  [`20240501T100000Z-${HASH}${HASH}.db`, true], // a whole sha256 is fine too
  [`20240501T100000Z-${HASH.slice(1)}.db`, false], // 31 hex digits
  [`20240501T100000Z-${HASH.toUpperCase()}.db`, false],
  [`20240501T1000Z-${HASH}.db`, false],
  [`20240501-100000Z-${HASH}.db`, false],
  [`20240501T100000-${HASH}.db`, false],
  [`20240501T100000Z-${HASH}.db-journal`, false],
  [`20240501T100000Z-${HASH}.db.tmp`, false],
  ['.codexlog-0a1b2c3d4e5f.tmp', false],
  ['segment.db', false],
  ['', false],
];
for (const [name, expected] of names)
  test(`isSegmentName(${JSON.stringify(name)}) is ${expected}`, () => assert.is(isSegmentName(name), expected));

test.run();
