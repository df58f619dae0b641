export {
  ScheduledMarker,
  describeWindows,
  scheduleRule,
  shortScheduleTime,
} from './ScheduledMarker';
export type { ScheduledMarkerProps } from './ScheduledMarker';
export {
  ScheduleFields,
  scheduleChoiceComplete,
  scheduleRequestOf,
} from './ScheduleFields';
export type { ScheduleChoice } from './ScheduleFields';
