/**
 * Reports the size of every DataLoader batch of a request (for the `cbr_gateway_loader_batch_size` metric) without
 * touching the loaders' factories: each loader's batch function is wrapped once, when the request's loaders are made.
 * DataLoader keeps it in `_batchLoadFn` (dataloader 2.x); if a release renames that field, nothing is wrapped and the
 * metric stays empty (metrics.test.ts notices), the loaders keep working.
 */
import DataLoader from 'dataloader';

type BatchFn = (keys: readonly unknown[]) => PromiseLike<ArrayLike<unknown>>;

export function reportBatchSizes(loaders: object, observe: (loader: string, size: number) => void): void {
  for (const [name, loader] of Object.entries(loaders)) {
    if (!(loader instanceof DataLoader)) continue;
    const internal = loader as unknown as { _batchLoadFn?: BatchFn };
    const batch = internal._batchLoadFn;
    if (typeof batch !== 'function') continue;
    internal._batchLoadFn = (keys) => {
      observe(name, keys.length);
      return batch(keys);
    };
  }
}
