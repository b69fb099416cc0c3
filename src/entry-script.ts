/** Whether a module is the script node was started with (so `main.ts` and the emulator CLI run only when launched, not when a test imports them). */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** `isEntryScript(import.meta.url)`: true when that module is `process.argv[1]` (symlinks resolved, as tsx reports it). */
export function isEntryScript(moduleUrl: string): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return moduleUrl === pathToFileURL(realpathSync(entry)).href;
  } catch {
    return false;
  }
}
