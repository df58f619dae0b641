import { Config } from '@backstage/config';

/** A cluster the provider may deploy to. */
export interface KubernetesCluster {
  name: string;
  /** API server URL. */
  url: string;
  /** Bearer token (a service account token). */
  serviceAccountToken: string;
  /** Base64 PEM of the API server's CA. */
  caData?: string;
  skipTLSVerify: boolean;
  /** Where the cluster was configured, for messages. */
  source: string;
}

function readUrl(raw: string, where: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`${where}.url is not a URL`);
  }
  if (
    (url.protocol !== 'https:' && url.protocol !== 'http:') ||
    url.username ||
    url.password ||
    url.search ||
    url.hash
  ) {
    throw new Error(
      `${where}.url must be a plain http(s) URL without credentials, query or fragment`,
    );
  }
  return url.toString().replace(/\/+$/, '');
}

/**
 * The clusters phases may name with `provider.cluster`: the module's own
 * `release.providers.kubernetes.clusters`, then the clusters of the
 * Kubernetes plugin's `kubernetes.clusterLocatorMethods` entries of type
 * `config` that authenticate with a service account token (a name in both
 * is the module's). Other auth providers of the Kubernetes plugin (OIDC,
 * AWS, Google …) need a user's or a cloud identity and are not used.
 */
export function readClusters(config: Config): Map<string, KubernetesCluster> {
  const clusters = new Map<string, KubernetesCluster>();
  const own = config.getOptionalConfigArray(
    'release.providers.kubernetes.clusters',
  );
  for (const [i, c] of (own ?? []).entries()) {
    const where = `release.providers.kubernetes.clusters[${i}]`;
    const name = c.getString('name');
    if (clusters.has(name)) {
      throw new Error(`${where}: cluster '${name}' is configured twice`);
    }
    clusters.set(name, {
      name,
      url: readUrl(c.getString('url'), where),
      serviceAccountToken: c.getString('serviceAccountToken'),
      caData: c.getOptionalString('caData'),
      skipTLSVerify: c.getOptionalBoolean('skipTLSVerify') ?? false,
      source: where,
    });
  }
  const methods =
    config.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? [];
  for (const [m, method] of methods.entries()) {
    if (method.getOptionalString('type') !== 'config') {
      continue;
    }
    for (const [i, c] of (
      method.getOptionalConfigArray('clusters') ?? []
    ).entries()) {
      const where = `kubernetes.clusterLocatorMethods[${m}].clusters[${i}]`;
      const name = c.getString('name');
      const token = c.getOptionalString('serviceAccountToken');
      const auth = c.getOptionalString('authProvider') ?? 'serviceAccount';
      if (clusters.has(name) || auth !== 'serviceAccount' || !token) {
        continue;
      }
      clusters.set(name, {
        name,
        url: readUrl(c.getString('url'), where),
        serviceAccountToken: token,
        caData: c.getOptionalString('caData'),
        skipTLSVerify: c.getOptionalBoolean('skipTLSVerify') ?? false,
        source: where,
      });
    }
  }
  return clusters;
}
