/**
 * When the schedule rules of a policy trigger fire (the emulator's scheduler): the computation lives in
 * src/upstream/rrule-times.ts, shared with the gateway's `PolicyTrigger.nextRunTimes`.
 */
export { nextOccurrence } from '../upstream/rrule-times';
