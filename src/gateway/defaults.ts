/** Defaults of the gateway's options that config.ts also shows for unset variables: written once, here. */

/** Deadline of each upstream attempt, headers and body included. */
export const DEFAULT_UPSTREAM_TIMEOUT_MS = 10_000;

/** Subscriptions (live progress) one caller identity may hold at once (watches.ts). */
export const DEFAULT_MAX_SUBSCRIPTIONS_PER_CALLER = 20;
