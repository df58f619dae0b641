export { DeliveryCard } from './DeliveryCard';
export { DeliveryPanel } from './DeliveryPanel';
export type { DeliveryPanelProps } from './DeliveryPanel';
