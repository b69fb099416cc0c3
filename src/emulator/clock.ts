/**
 * The emulator's clock: what "now" is, and the jobs due at a later time (lifecycle steps, policy triggers).
 * Tests move time with `advance()`; in real time mode a timer also runs jobs as they fall due.
 */

export interface ClockOptions {
  /** Start time in epoch ms. Default: the real time at creation. */
  start?: number;
  /**
   * `real`: time flows with the wall clock (plus any `advance`), due jobs run on timers.
   * `frozen`: time moves only through `advance()`; deterministic for tests.
   * Default `real`.
   */
  mode?: 'real' | 'frozen';
}

interface Job {
  at: number;
  seq: number;
  run: () => void;
}

export function createClock(options: ClockOptions = {}) {
  const mode = options.mode ?? 'real';
  const createdAt = Date.now();
  const start = options.start ?? createdAt;
  let offset = 0;
  let seq = 0;
  let jobs: Job[] = [];
  let timer: NodeJS.Timeout | undefined;

  function now(): number {
    return mode === 'real' ? start + (Date.now() - createdAt) + offset : start + offset;
  }

  /** Runs every job due at or before `now()`, in time order; jobs may schedule more jobs. */
  function runDue(): void {
    for (;;) {
      const t = now();
      const due = jobs.filter((job) => job.at <= t).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      jobs = jobs.filter((job) => job !== due);
      due.run();
    }
    arm();
  }

  function arm(): void {
    if (mode !== 'real') return;
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (jobs.length === 0) return;
    const next = Math.min(...jobs.map((job) => job.at));
    timer = setTimeout(runDue, Math.max(0, next - now()));
    timer.unref(); // a pending lifecycle step must not keep the process alive
  }

  return {
    now,
    /** ISO-8601 string of `now()` (UTC, `Z`). */
    iso: () => new Date(now()).toISOString(),
    /** Runs `run` once `delayMs` have passed on this clock. `delayMs <= 0` runs at the next `runDue()`. */
    schedule(delayMs: number, run: () => void): void {
      jobs.push({ at: now() + delayMs, seq: seq++, run });
      arm();
    },
    /** Moves time forward and runs what fell due. */
    advance(ms: number): void {
      offset += ms;
      runDue();
    },
    runDue,
    /** Number of jobs waiting. */
    pending: () => jobs.length,
    /** Drops every pending job (reset, close). */
    clear(): void {
      jobs = [];
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}

export type Clock = ReturnType<typeof createClock>;
