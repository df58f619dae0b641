/*
 * The change set of a promotion: what an approver approves. Pure functions
 * shared by the backend (which computes it) and the frontend (which shows it).
 */
import { ConfigurationDiff, MapDiff } from './config';
import { releasesPageLink } from './lifecycle';
import { compareSemver } from './semver';
import { WouldDeploy } from './schedule';
import { UpcomingFreeze } from './time';
import { ActiveFreeze, PhaseLock, PromotionStatus } from './types';

/** How a promotion moves the version of its target phase. @public */
export type VersionDirection = 'upgrade' | 'rollback' | 'first_deploy' | 'same';

/** A release as the change set lists it. @public */
export interface ChangeSetRelease {
  version: string;
  commit?: string;
  notes?: string;
  createdBy: string;
  createdAt: string;
}

/** One commit between the two releases. @public */
export interface ChangeSetCommit {
  sha: string;
  message: string;
  author?: string;
  date?: string;
  url?: string;
}

/** Where the source code of an entity is hosted, as far as links go. @public */
export type SourceHost = 'github' | 'gitlab' | 'bitbucket' | 'bitbucket-server';

/** The commits part of a change set. @public */
export interface ChangeSetCommits {
  /** Commit of the running release, when known. */
  fromCommit?: string;
  /** Commit of the release to deploy, when known. */
  toCommit?: string;
  host?: SourceHost;
  /** A link to the source host's comparison of the two commits. */
  compareUrl?: string;
  /** The commits, when an integration for the host is configured. */
  list?: ChangeSetCommit[];
  /** Total commits between the two (the list may be shorter). */
  total?: number;
  /** Why there is no link or list, when there is none. */
  unavailable?: string;
}

/** One side of a change set: a version and the configuration it runs with. @public */
export interface ChangeSetSide {
  version: string | null;
  commit?: string;
  artifact?: string;
  /** The configuration version; null when it is not known. */
  configVersion: number | null;
  /** Where the configuration was read from. */
  configSource:
    | 'promotion-snapshot'
    | 'config-version'
    | 'in-force-at-deploy'
    | 'current-config'
    | 'none';
  promotionId?: string;
  deployedAt?: string;
  deployedBy?: string;
}

/** The gates of the target phase as they stand now. @public */
export interface ChangeSetGates {
  approvals: {
    required: number;
    /** Distinct valid approvals so far. */
    count: number;
    approvedBy: Array<{ userRef: string; decidedAt: string }>;
    rejectedBy: Array<{ userRef: string; decidedAt: string; comment?: string }>;
    /** Approvals voided by a later change, by user. */
    voided: string[];
  };
  requires: {
    phase: string | null;
    met: boolean;
    succeededAt?: string;
    soakTime?: string;
    /** When the soak time is over, if it is not yet. */
    readyAt?: string;
    message?: string;
  };
  lock: PhaseLock | null;
  freeze: { active: ActiveFreeze | null; next: UpcomingFreeze | null };
  /**
   * The phase's before-deploy checks for this release, as last evaluated (at
   * most a short while ago; evaluated again when older).
   */
  checks: ChangeSetCheck[];
  /** Another promotion queued or deploying in the phase. */
  busyWith?: { promotionId: string; version: string; status: PromotionStatus };
  /** Whether one more approval, given now, would start the deployment now. */
  approvingDeploysNow: boolean;
  /** When it would deploy by the time rules ({@link wouldDeployAt}). */
  deployAt?: WouldDeploy;
  /** Why it would not, in words. */
  waitingFor: string[];
}

/** A before-deploy check of the target phase in a change set. @public */
export interface ChangeSetCheck {
  name: string;
  type: string;
  status: 'passed' | 'failed' | 'pending';
  summary: string;
  url?: string;
  evaluatedAt: string;
}

/** The configuration and secret changes between two snapshots. @public */
export interface ChangeSetConfig extends ConfigurationDiff {
  /** False when one side's configuration is not known. */
  known: boolean;
  /**
   * True when the caller may not read the configuration of a phase compared
   * here (`release.config.read`): the lists are empty and the change set's
   * summary still counts the changes.
   */
  hidden?: boolean;
}

/** The change set of a promotion (or of a promotion not yet requested). @public */
export interface ChangeSet {
  entityRef: string;
  phase: { id: string; title: string };
  /** Absent for a preview. */
  promotion?: {
    id: string;
    status: PromotionStatus;
    kind: 'promote' | 'rollback';
    requestedBy: string;
    requestedAt: string;
    comment?: string;
  };
  direction: VersionDirection;
  /** What runs in the target phase now. */
  from: ChangeSetSide;
  /** What the promotion deploys. */
  to: ChangeSetSide;
  /**
   * Releases the phase moves past, in semver order, ending with the one to
   * deploy (for a rollback: the ones undone, newest last).
   */
  releases: ChangeSetRelease[];
  commits: ChangeSetCommits;
  config: ChangeSetConfig;
  gates: ChangeSetGates;
  /** The same release where it was tested: the phase the target requires. */
  comparedWithSource: {
    phase: { id: string; title: string };
    version: string | null;
    configVersion: number | null;
    configSource: ChangeSetSide['configSource'];
    config: ChangeSetConfig;
  } | null;
  summary: { configChanges: number; secretChanges: number; text: string };
}

/** A release orders by semver precedence, then (build metadata) creation time. @public */
export function compareReleases(
  a: { version: string; createdAt: string },
  b: { version: string; createdAt: string },
): number {
  return (
    compareSemver(a.version, b.version) ||
    Math.sign(Date.parse(a.createdAt) - Date.parse(b.createdAt)) ||
    (a.version < b.version ? -1 : Number(a.version > b.version))
  );
}

/** How the phase's version moves from `from` (what runs) to `to`. @public */
export function versionDirection(
  from: { version: string; createdAt: string } | undefined,
  to: { version: string; createdAt: string },
): VersionDirection {
  if (!from) return 'first_deploy';
  const c = compareReleases(from, to);
  if (from.version === to.version || c === 0) return 'same';
  return c < 0 ? 'upgrade' : 'rollback';
}

/**
 * The releases a phase moves past going from `from` to `to`, in semver
 * order: for an upgrade those after `from` up to and including `to`; for a
 * rollback those after `to` up to and including `from` (what is undone); for
 * a first deployment just `to`.
 * @public
 */
export function releasesBetween<
  T extends { version: string; createdAt: string },
>(all: T[], from: T | undefined, to: T): T[] {
  const direction = versionDirection(from, to);
  if (direction === 'first_deploy' || direction === 'same' || !from) {
    return all.filter(r => r.version === to.version);
  }
  const [low, high] = direction === 'upgrade' ? [from, to] : [to, from];
  return all
    .filter(r => compareReleases(r, low) > 0 && compareReleases(r, high) <= 0)
    .sort(compareReleases);
}

const SHA = /^[0-9a-f]{7,64}$/i;

/**
 * A link comparing two commits on the host of a source location (the value
 * of `backstage.io/source-location` or `backstage.io/managed-by-location`,
 * with or without the `url:` prefix). GitHub, GitLab, Bitbucket Cloud and
 * Bitbucket Server forms; `host` forces the type (e.g. from the configured
 * integrations) for self-hosted instances.
 * @public
 */
export function sourceCompareLink(
  location: string,
  fromCommit: string,
  toCommit: string,
  host?: SourceHost,
): { host: SourceHost; url: string } | undefined {
  if (!SHA.test(fromCommit) || !SHA.test(toCommit)) return undefined;
  const repo = sourceRepository(location, host);
  if (!repo) return undefined;
  const { base } = repo;
  switch (repo.host) {
    case 'github':
      return {
        host: 'github',
        url: `${base}/compare/${fromCommit}...${toCommit}`,
      };
    case 'gitlab':
      return {
        host: 'gitlab',
        url: `${base}/-/compare/${fromCommit}...${toCommit}`,
      };
    case 'bitbucket':
      return {
        host: 'bitbucket',
        url: `${base}/branches/compare/${toCommit}%0D${fromCommit}`,
      };
    default:
      return {
        host: 'bitbucket-server',
        url: `${base}/compare/commits?sourceBranch=${toCommit}&targetBranch=${fromCommit}`,
      };
  }
}

/**
 * The repository of a source location: its web base URL and host type, or
 * undefined when the location is not a recognised repository URL.
 * @public
 */
export function sourceRepository(
  location: string,
  host?: SourceHost,
): { host: SourceHost; base: string; owner: string; repo: string } | undefined {
  let url: URL;
  try {
    url = new URL(location.replace(/^url:/, ''));
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  const parts = url.pathname.split('/').filter(Boolean);
  const hostname = url.hostname.toLocaleLowerCase('en-US');
  let type = host;
  if (!type) {
    if (hostname === 'github.com' || hostname.includes('github'))
      type = 'github';
    else if (hostname === 'gitlab.com' || hostname.includes('gitlab'))
      type = 'gitlab';
    else if (hostname === 'bitbucket.org') type = 'bitbucket';
    else if (parts[0] === 'projects' && parts[2] === 'repos')
      type = 'bitbucket-server';
    else return undefined;
  }
  const origin = url.origin;
  const strip = (s: string) => s.replace(/\.git$/, '');
  if (type === 'gitlab') {
    // group/sub/repo/-/tree/main/…: the repository ends before '/-/'.
    const dash = parts.indexOf('-');
    const repoParts = (dash >= 0 ? parts.slice(0, dash) : parts).map(strip);
    if (repoParts.length < 2) return undefined;
    return {
      host: type,
      base: `${origin}/${repoParts.join('/')}`,
      owner: repoParts.slice(0, -1).join('/'),
      repo: repoParts[repoParts.length - 1],
    };
  }
  if (type === 'bitbucket-server') {
    if (parts[0] !== 'projects' || parts[2] !== 'repos' || !parts[3])
      return undefined;
    return {
      host: type,
      base: `${origin}/projects/${parts[1]}/repos/${strip(parts[3])}`,
      owner: parts[1],
      repo: strip(parts[3]),
    };
  }
  if (parts.length < 2) return undefined;
  const [owner, repo] = [parts[0], strip(parts[1])];
  return { host: type, base: `${origin}/${owner}/${repo}`, owner, repo };
}

function changes<T>(diff: MapDiff<T>): number {
  return diff.added.length + diff.removed.length + diff.changed.length;
}

/**
 * Counts and words for a configuration diff: "3 variables changed, sizing
 * changed, 1 secret changed" (empty when nothing changed).
 * @public
 */
export function summarizeConfigDiff(diff: ConfigurationDiff): {
  configChanges: number;
  secretChanges: number;
  text: string;
} {
  const variables = changes(diff.variables);
  const database = changes(diff.database);
  const sizing = changes(diff.sizing);
  const secrets = changes(diff.secrets);
  const parts: string[] = [];
  if (variables)
    parts.push(`${variables} variable${variables === 1 ? '' : 's'} changed`);
  if (database) parts.push('database changed');
  if (sizing) parts.push('sizing changed');
  if (secrets)
    parts.push(`${secrets} secret${secrets === 1 ? '' : 's'} changed`);
  return {
    configChanges: variables + database + sizing,
    secretChanges: secrets,
    text: parts.join(', '),
  };
}

/**
 * The one line an approver confirms: "Deploy 1.2.0 to Live, 3 config
 * changes, 1 secret changed".
 * @public
 */
export function changeSetSummaryLine(options: {
  version: string;
  phaseTitle: string;
  direction: VersionDirection;
  configChanges: number;
  secretChanges: number;
}): string {
  const { version, phaseTitle, direction, configChanges, secretChanges } =
    options;
  const verb = direction === 'rollback' ? 'Roll back' : 'Deploy';
  const parts = [
    `${verb} ${
      direction === 'rollback'
        ? `${phaseTitle} to ${version}`
        : `${version} to ${phaseTitle}`
    }`,
    configChanges
      ? `${configChanges} config change${configChanges === 1 ? '' : 's'}`
      : 'no config changes',
  ];
  if (secretChanges)
    parts.push(
      `${secretChanges} secret${secretChanges === 1 ? '' : 's'} changed`,
    );
  return parts.join(', ');
}

/**
 * The app-relative portal path of a release's detail on the entity's
 * Releases tab (`?release=<version>`); {@link releasesPageLink} gives a
 * promotion's.
 * @public
 */
export function releaseDetailLink(entityRef: string, version: string): string {
  return `${releasesPageLink(entityRef)}?release=${encodeURIComponent(
    version,
  )}`;
}
