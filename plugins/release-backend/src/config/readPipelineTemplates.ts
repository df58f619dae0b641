import { Config } from '@backstage/config';
import {
  DEFAULT_PIPELINE_TEMPLATE,
  DEFAULT_PIPELINE_TEMPLATE_NAME,
  DeploymentWindow,
  FreezeWindow,
  PhaseDefinition,
  PipelineTemplate,
  validatePipelineTemplate,
} from '@release-manager/backstage-plugin-release-common';

function readStringList(config: Config, key: string): string[] | undefined {
  return config.getOptionalStringArray(key);
}

function readPhase(
  config: Config,
  order: number,
  previous: string | null,
): PhaseDefinition {
  const id = config.getString('id');
  const providerConfig = config.getOptionalConfig('provider');
  const provider = providerConfig
    ? {
        ...(providerConfig.get() as Record<string, unknown>),
        type: providerConfig.getString('type'),
      }
    : { type: 'simulated' };
  const readWindows = (key: string): FreezeWindow[] =>
    (config.getOptionalConfigArray(key) ?? []).map(w => ({
      cron: w.getString('cron'),
      duration: w.getString('duration'),
      timezone: w.getOptionalString('timezone'),
      reason: w.getOptionalString('reason'),
    }));
  const freezeWindows = readWindows('freezeWindows');
  const deploymentWindows: DeploymentWindow[] =
    readWindows('deploymentWindows');
  // `requires: false` means no prerequisite (config cannot express null).
  const rawRequires = config.getOptional('requires');
  let requires: string | null = previous;
  if (rawRequires === false) {
    requires = null;
  } else if (rawRequires !== undefined) {
    requires = config.getString('requires');
  }
  const variablesConfig = config.getOptionalConfig('config.variables');
  const variables: Record<string, string> = {};
  for (const key of variablesConfig?.keys() ?? []) {
    variables[key] = String(variablesConfig!.get(key));
  }
  const database = config.getOptionalConfig('config.database');
  const sizing = config.getOptionalConfig('config.sizing');
  return {
    id,
    title: config.getOptionalString('title') ?? id,
    order,
    provider,
    autoPromote: config.getOptionalBoolean('autoPromote') ?? false,
    requires,
    approvals: {
      required: config.getOptionalNumber('approvals.required') ?? 0,
      approvers: readStringList(config, 'approvals.approvers'),
      allowSelfApproval:
        config.getOptionalBoolean('approvals.allowSelfApproval') ?? false,
    },
    freezeWindows,
    ...(deploymentWindows.length ? { deploymentWindows } : {}),
    soakTime: config.getOptionalString('soakTime'),
    access: {
      deployers: readStringList(config, 'access.deployers'),
      approvers: readStringList(config, 'access.approvers'),
      configEditors: readStringList(config, 'access.configEditors'),
    },
    config: {
      variables,
      database: database
        ? {
            engine: database.getOptionalString('engine'),
            host: database.getOptionalString('host'),
            port: database.getOptionalNumber('port'),
            name: database.getOptionalString('name'),
            user: database.getOptionalString('user'),
            passwordSecret: database.getOptionalString('passwordSecret'),
          }
        : undefined,
      sizing: sizing
        ? {
            replicas: sizing.getOptionalNumber('replicas'),
            cpu: sizing.getOptionalString('cpu'),
            memory: sizing.getOptionalString('memory'),
          }
        : undefined,
    },
  };
}

/**
 * Reads the pipeline templates under `release.pipelines`. The built-in
 * `default` template (Dev → QA/Demo → Stage → Live) is always available
 * unless config defines its own `default`. Throws on a malformed template, so
 * a misconfiguration stops the backend at startup with a clear message.
 */
export function readPipelineTemplates(
  config: Config,
): Map<string, PipelineTemplate> {
  const templates = new Map<string, PipelineTemplate>([
    [DEFAULT_PIPELINE_TEMPLATE_NAME, DEFAULT_PIPELINE_TEMPLATE],
  ]);
  const pipelines = config.getOptionalConfig('release.pipelines');
  for (const name of pipelines?.keys() ?? []) {
    const pipeline = pipelines!.getConfig(name);
    let previous: string | null = null;
    const phases = pipeline.getConfigArray('phases').map((p, i) => {
      const phase = readPhase(p, i, previous);
      previous = phase.id;
      return phase;
    });
    const template: PipelineTemplate = {
      name,
      title: pipeline.getOptionalString('title'),
      phases,
      productionPhase: pipeline.getOptionalString('productionPhase'),
    };
    const problems = validatePipelineTemplate(template);
    if (problems.length) {
      throw new Error(
        `Invalid release pipeline config: ${problems.join('; ')}`,
      );
    }
    templates.set(name, template);
  }
  return templates;
}
