export { Person } from './Person';
export type { PersonProps } from './Person';
