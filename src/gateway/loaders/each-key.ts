/**
 * The batch function of a loader whose keys each need a call of their own (the API has no batch read for them).
 * A key whose call fails rejects its own `load` only: DataLoader hands an Error in the answer array to that key
 * alone. With a plain `Promise.all`, one failing call rejected every key of the batch, so one failing backup list
 * nulled the backups of every server on the dashboard.
 */
export function eachKey<K, V>(load: (key: K) => Promise<V>): (keys: readonly K[]) => Promise<Array<V | Error>> {
  return (keys) => Promise.all(keys.map((key) => load(key).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))))));
}
