export { HistoryCard, historyActionLabel } from './HistoryCard';
export type { HistoryCardProps } from './HistoryCard';
