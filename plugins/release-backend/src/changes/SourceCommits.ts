import {
  DefaultGithubCredentialsProvider,
  GithubCredentialsProvider,
  ScmIntegrationRegistry,
  ScmIntegrations,
} from '@backstage/integration';
import { Config } from '@backstage/config';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ChangeSetCommit,
  ChangeSetCommits,
  SourceHost,
  sourceCompareLink,
  sourceRepository,
} from '@release-manager/backstage-plugin-release-common';

/** The annotations a source location is read from, in order. */
export const SOURCE_LOCATION_ANNOTATIONS = [
  'backstage.io/source-location',
  'backstage.io/managed-by-location',
];

const MAX_COMMITS = 250;

function hostOfIntegration(type: string | undefined): SourceHost | undefined {
  switch (type) {
    case 'github':
      return 'github';
    case 'gitlab':
      return 'gitlab';
    case 'bitbucketCloud':
      return 'bitbucket';
    case 'bitbucketServer':
      return 'bitbucket-server';
    default:
      return undefined;
  }
}

type GithubCompare = {
  total_commits?: number;
  commits?: Array<{
    sha: string;
    html_url?: string;
    commit?: { message?: string; author?: { name?: string; date?: string } };
    author?: { login?: string } | null;
  }>;
};

/**
 * The commits between two releases: a compare link on the source host of
 * the entity, and where a GitHub integration (`integrations.github`) covers
 * the repository, the commit list from GitHub's compare API with the
 * integration's credentials.
 */
export class SourceCommits {
  static fromConfig(config: Config, logger?: LoggerService) {
    const integrations = ScmIntegrations.fromConfig(config);
    // ScmIntegrations always knows github.com; the list is asked for only
    // where `integrations.github` names the host.
    const configured = (
      config.getOptionalConfigArray('integrations.github') ?? []
    ).map(c => c.getOptionalString('host') ?? 'github.com');
    return new SourceCommits(
      integrations,
      DefaultGithubCredentialsProvider.fromIntegrations(integrations),
      logger,
      new Set(configured),
    );
  }

  constructor(
    private readonly integrations: ScmIntegrationRegistry,
    private readonly github: GithubCredentialsProvider,
    private readonly logger?: LoggerService,
    /** GitHub hosts configured under `integrations.github`. */
    private readonly githubHosts: Set<string> = new Set(),
  ) {}

  async between(
    annotations: Record<string, string> | undefined,
    fromCommit: string | undefined,
    toCommit: string | undefined,
  ): Promise<ChangeSetCommits> {
    const base: ChangeSetCommits = { fromCommit, toCommit };
    const location = SOURCE_LOCATION_ANNOTATIONS.map(
      a => annotations?.[a],
    ).find(Boolean);
    if (!location) {
      return {
        ...base,
        unavailable: `The entity has no ${SOURCE_LOCATION_ANNOTATIONS.join(
          ' or ',
        )} annotation`,
      };
    }
    const url = location.replace(/^url:/, '');
    const integration = this.integrations.byUrl(url);
    const host = hostOfIntegration(integration?.type);
    const repo = sourceRepository(url, host);
    if (!repo) {
      return {
        ...base,
        unavailable: `The source location ${url} is not a GitHub, GitLab or Bitbucket repository`,
      };
    }
    if (!fromCommit || !toCommit) {
      return {
        ...base,
        host: repo.host,
        unavailable: !toCommit
          ? 'The release to deploy has no commit'
          : 'Nothing with a commit runs in the phase yet',
      };
    }
    const link = sourceCompareLink(url, fromCommit, toCommit, repo.host);
    const result: ChangeSetCommits = {
      ...base,
      host: repo.host,
      compareUrl: link?.url,
    };
    if (
      repo.host !== 'github' ||
      integration?.type !== 'github' ||
      !this.githubHosts.has(new URL(url).host)
    ) {
      return result;
    }
    try {
      const listed = await this.githubCompare(url, repo, fromCommit, toCommit);
      return { ...result, ...listed };
    } catch (e) {
      this.logger?.warn(
        `Could not list commits ${fromCommit}...${toCommit} of ${repo.owner}/${repo.repo}: ${e}`,
      );
      return {
        ...result,
        unavailable: `GitHub did not list the commits: ${(e as Error).message}`,
      };
    }
  }

  private async githubCompare(
    url: string,
    repo: { owner: string; repo: string },
    fromCommit: string,
    toCommit: string,
  ): Promise<Pick<ChangeSetCommits, 'list' | 'total'>> {
    const integration = this.integrations.github.byUrl(url);
    const apiBaseUrl = integration?.config.apiBaseUrl;
    if (!apiBaseUrl) throw new Error('no apiBaseUrl for the host');
    const { headers } = await this.github.getCredentials({ url });
    const response = await fetch(
      `${apiBaseUrl}/repos/${encodeURIComponent(
        repo.owner,
      )}/${encodeURIComponent(repo.repo)}/compare/${encodeURIComponent(
        fromCommit,
      )}...${encodeURIComponent(toCommit)}?per_page=${MAX_COMMITS}`,
      {
        headers: {
          ...headers,
          Accept: 'application/vnd.github+json',
          'X-GitHub-Api-Version': '2022-11-28',
        },
        redirect: 'manual',
        signal: AbortSignal.timeout(10_000),
      },
    );
    if (!response.ok) {
      throw new Error(`HTTP ${response.status}`);
    }
    const body = (await response.json()) as GithubCompare;
    if (!Array.isArray(body.commits)) throw new Error('malformed answer');
    const list: ChangeSetCommit[] = body.commits
      .slice(0, MAX_COMMITS)
      .map(c => ({
        sha: String(c.sha),
        message: String(c.commit?.message ?? '').split('\n')[0],
        author: c.commit?.author?.name ?? c.author?.login ?? undefined,
        date: c.commit?.author?.date,
        url: c.html_url,
      }));
    return { list, total: body.total_commits ?? list.length };
  }
}
