export { PhasesContent } from './PhasesContent';
