export { PipelineDrawing } from './PipelineDrawing';
export type { PipelineDrawingProps } from './PipelineDrawing';
export {
  failureReason,
  phaseAction,
  phaseActionBlocker,
  phaseHealth,
} from './phaseState';
export type { PhaseHealth } from './phaseState';
