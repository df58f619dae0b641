export { DeploymentWindowStatus } from './DeploymentWindowStatus';
