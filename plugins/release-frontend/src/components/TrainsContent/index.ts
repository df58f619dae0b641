export { TrainsContent } from './TrainsContent';
export type { TrainsContentProps } from './TrainsContent';
export { TrainDetail } from './TrainDetail';
export { TrainStatusChip } from './TrainStatusChip';
export * from './trainText';
