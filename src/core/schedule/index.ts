export { Scheduler, type SchedulerOptions, type TriggerReason } from './scheduler.js';
export { nextDailyOccurrence, parseSyncTime, type TimeOfDay } from './daily.js';
