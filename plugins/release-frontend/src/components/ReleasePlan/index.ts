export { PlanMarker, planText, formatPlanDate } from './PlanMarker';
export { PlanEditor } from './PlanEditor';
