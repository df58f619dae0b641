// The HTTP helpers moved to release-node so provider modules share them.
export {
  DEFAULT_CALL_TIMEOUT_MS,
  fetchWithDeadline,
  parseJsonOrUndefined,
  ProviderCallError,
} from '@release-manager/backstage-plugin-release-node';
export type {
  ProviderCallFault,
  ProviderHttpResponse,
} from '@release-manager/backstage-plugin-release-node';
