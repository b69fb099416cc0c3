/** Defaults of the gateway's options that config.ts also shows for unset variables: written once, here. */

/** Deadline of each upstream attempt, headers and body included. */
export const DEFAULT_UPSTREAM_TIMEOUT_MS = 10_000;
