/** Test helper: waiting for a condition that another process or a timer brings about, without fixed sleeps. */

/**
 * Polls `probe` every 10 ms until it returns something other than `undefined`, and returns that; throws after 10 s
 * (generous: the machine may be busy, and a passing test never waits that long).
 */
export async function eventually<T>(probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 1000; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('condition not met within 10 s');
}
