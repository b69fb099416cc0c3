/**
 * Restore-point loaders: `GET /checkpoints/{id}` per id (the API lists no checkpoints, so there is nothing to batch
 * into); 404 becomes null.
 */
import DataLoader from 'dataloader';
import type { CbrClient } from '../../upstream/client';
import type { Checkpoint } from '../../upstream/schemas/restore-point';
import { nullIfNotFound } from '../errors';
import { eachKey } from './each-key';

export function createRestorePointLoaders(client: CbrClient) {
  const restorePoint = new DataLoader<string, Checkpoint | null>(eachKey((id) => nullIfNotFound(client.getRestorePoint(id))));
  return {
    restorePoint,
    forgetRestorePoints(): void {
      restorePoint.clearAll();
    },
  };
}
