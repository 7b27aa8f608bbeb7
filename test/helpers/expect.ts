// The one "expect a failure" helper: the error a call threw (or a promise rejected with), checked
// to be of the expected class. A call that does not fail fails the test.
import * as assert from 'uvu/assert';

type ErrorClass<E extends Error> = abstract new (...args: never[]) => E;

/** The error `fn` throws; fails the test when it returns. */
export function thrown<E extends Error = Error>(fn: () => unknown, type?: ErrorClass<E>): E {
  try {
    fn();
  } catch (e) {
    if (type) assert.instance(e, type);
    return e as E;
  }
  return assert.unreachable(`expected ${type?.name ?? 'an error'}`) as never;
}

/** The error `p` rejects with; fails the test when it resolves. */
export async function rejection<E extends Error = Error>(p: Promise<unknown>, type?: ErrorClass<E>): Promise<E> {
  try {
    await p;
  } catch (e) {
    if (type) assert.instance(e, type);
    return e as E;
  }
  return assert.unreachable(`expected ${type?.name ?? 'a rejection'}`) as never;
}
