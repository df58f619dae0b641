import { DeploymentProvider } from '@release-manager/backstage-plugin-release-node';

/** The deployment providers known to the backend, by type. */
export class ProviderRegistry {
  private readonly providers = new Map<string, DeploymentProvider>();

  add(...providers: DeploymentProvider[]) {
    for (const provider of providers) {
      if (this.providers.has(provider.type)) {
        throw new Error(
          `A deployment provider of type '${provider.type}' is already registered`,
        );
      }
      this.providers.set(provider.type, provider);
    }
  }

  get(type: string): DeploymentProvider | undefined {
    return this.providers.get(type);
  }

  types(): string[] {
    return [...this.providers.keys()].sort();
  }
}
