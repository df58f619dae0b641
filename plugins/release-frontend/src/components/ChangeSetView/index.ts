export { ChangeSetView, ChangeSetDetails } from './ChangeSetView';
export type { ChangeSetViewProps } from './ChangeSetView';
