import sodium from 'libsodium-wrappers';
import { createVerify, KeyObject } from 'crypto';
import { ServerResponse } from 'http';
import {
  LocalServer,
  ReceivedRequest,
  sendJson,
  startLocalServer,
} from '@internal/release-test-utils';

export const TOKEN = 'ghp_test_secret_token_0123456789';
export const HOST = 'ghe.acme.test';
export const PROMOTION = '6f1c2b9e-4d7a-4a53-9a4e-0c1f1e2d3a4b';
export const OTHER_PROMOTION = '0a8f3e21-77b3-4c1e-8f0e-9d2c3b4a5e6f';
export const WORKFLOW_PATH = '/repos/acme/shop/actions/workflows/deploy.yml';

export interface FakeRun {
  id: number;
  name: string;
  display_title: string;
  status: string;
  conclusion: string | null;
  html_url: string;
  created_at: string;
  event: string;
  head_branch: string;
}

export type Fault =
  | { kind: 'status'; status: number; body?: unknown }
  | { kind: 'hang' }
  | { kind: 'malformed'; text: string }
  | { kind: 'redirect'; location: string };

/**
 * GitHub's Actions API as documented: dispatch answers 204 without a body,
 * runs are listed newest first and filtered by `event` and `branch`.
 */
/** A GitHub Environment as the fake keeps it: secrets decrypted on arrival. */
export interface FakeEnvironment {
  variables: Map<string, string>;
  /** Secret values as the fake decrypted them with its private key. */
  secrets: Map<string, string>;
  /** What GitHub stores: the sealed boxes as received. */
  sealed: Map<string, { encrypted_value: string; key_id: string }>;
}

export class FakeGithub {
  runs: FakeRun[] = [];
  /** GitHub Environments of acme/shop by name. */
  environments = new Map<string, FakeEnvironment>();
  /** The environments' key pair (GitHub keeps the private key). */
  keyPair!: { publicKey: Uint8Array; privateKey: Uint8Array };
  keyId = '568250167242549743';
  /** A GitHub App installed on `acme`: its public key verifies the app's JWTs. */
  app?: { appId: number; publicKey: KeyObject };
  /** Installation tokens the fake handed out (accepted like TOKEN). */
  installationTokens: string[] = [];
  /** Runs dispatched but not listed yet (GitHub takes a moment). */
  hiddenRuns: FakeRun[] = [];
  hideNewRuns = false;
  /** The `run-name` the workflow gives its runs. */
  runName = (inputs: Record<string, string>) =>
    `Deploy ${inputs.version} (${inputs.promotion_id})`;
  fault?: (req: ReceivedRequest) => Fault | undefined;
  private nextId = 1001;

  server!: LocalServer;

  static async start(): Promise<FakeGithub> {
    const fake = new FakeGithub();
    await sodium.ready;
    fake.keyPair = sodium.crypto_box_keypair();
    fake.server = await startLocalServer((req, res) => fake.handle(req, res));
    return fake;
  }

  dispatches(): ReceivedRequest[] {
    return this.server.requests.filter(
      r => r.method === 'POST' && r.url.endsWith('/dispatches'),
    );
  }

  addRun(promotionId: string, fields: Partial<FakeRun> = {}): FakeRun {
    const id = this.nextId++;
    const title = `Deploy 1.4.0 (${promotionId})`;
    const run: FakeRun = {
      id,
      name: title,
      display_title: title,
      status: 'queued',
      conclusion: null,
      html_url: `https://${HOST}/acme/shop/actions/runs/${id}`,
      created_at: new Date().toISOString(),
      event: 'workflow_dispatch',
      head_branch: 'main',
      ...fields,
    };
    (this.hideNewRuns ? this.hiddenRuns : this.runs).unshift(run);
    return run;
  }

  addEnvironment(name: string): FakeEnvironment {
    const env: FakeEnvironment = {
      variables: new Map(),
      secrets: new Map(),
      sealed: new Map(),
    };
    this.environments.set(name, env);
    return env;
  }

  /** The documented environment endpoints; true when the request was one. */
  private handleEnvironment(
    req: ReceivedRequest,
    res: ServerResponse,
    path: string,
  ): boolean {
    const m =
      /^\/repos\/acme\/shop\/environments\/([^/]+)(?:\/(variables|secrets)(?:\/([^/]+))?)?$/.exec(
        path,
      );
    if (!m) {
      return false;
    }
    const env = this.environments.get(decodeURIComponent(m[1]));
    const [kind, rawName] = [m[2], m[3]];
    const name = rawName && decodeURIComponent(rawName);
    if (!env) {
      sendJson(res, 404, { message: 'Not Found' });
      return true;
    }
    const body = req.body ? JSON.parse(req.body) : undefined;
    const noContent = (status = 204) => {
      res.writeHead(status);
      res.end();
    };
    if (!kind && req.method === 'GET') {
      sendJson(res, 200, { name: decodeURIComponent(m[1]) });
    } else if (kind === 'variables' && !name && req.method === 'POST') {
      if (env.variables.has(body.name)) {
        sendJson(res, 409, { message: 'Already exists' });
      } else {
        env.variables.set(body.name, body.value);
        noContent(201);
      }
    } else if (kind === 'variables' && name && req.method === 'GET') {
      if (env.variables.has(name)) {
        sendJson(res, 200, { name, value: env.variables.get(name) });
      } else {
        sendJson(res, 404, { message: 'Not Found' });
      }
    } else if (kind === 'variables' && name && req.method === 'PATCH') {
      if (env.variables.has(name)) {
        env.variables.set(name, body.value);
        noContent();
      } else {
        sendJson(res, 404, { message: 'Not Found' });
      }
    } else if (kind === 'variables' && name && req.method === 'DELETE') {
      noContent(env.variables.delete(name) ? 204 : 404);
    } else if (
      kind === 'secrets' &&
      name === 'public-key' &&
      req.method === 'GET'
    ) {
      sendJson(res, 200, {
        key_id: this.keyId,
        key: sodium.to_base64(
          this.keyPair.publicKey,
          sodium.base64_variants.ORIGINAL,
        ),
      });
    } else if (kind === 'secrets' && name && req.method === 'PUT') {
      if (body.key_id !== this.keyId) {
        sendJson(res, 422, { message: 'Bad key_id' });
        return true;
      }
      let plain: string;
      try {
        plain = sodium.to_string(
          sodium.crypto_box_seal_open(
            sodium.from_base64(
              body.encrypted_value,
              sodium.base64_variants.ORIGINAL,
            ),
            this.keyPair.publicKey,
            this.keyPair.privateKey,
          ),
        );
      } catch {
        sendJson(res, 422, { message: 'Could not decrypt the secret' });
        return true;
      }
      const existed = env.secrets.has(name);
      env.secrets.set(name, plain);
      env.sealed.set(name, body);
      noContent(existed ? 204 : 201);
    } else if (kind === 'secrets' && name && req.method === 'DELETE') {
      env.sealed.delete(name);
      noContent(env.secrets.delete(name) ? 204 : 404);
    } else {
      sendJson(res, 404, { message: 'Not Found' });
    }
    return true;
  }

  /** The GitHub App endpoints, authenticated with the app's RS256 JWT. */
  private handleApp(req: ReceivedRequest, res: ServerResponse, path: string) {
    const jwt = String(req.headers.authorization ?? '').replace(
      /^(Bearer|bearer) /,
      '',
    );
    const [header, payload, signature] = jwt.split('.');
    const verifier = createVerify('RSA-SHA256');
    verifier.update(`${header}.${payload}`);
    const valid =
      !!signature &&
      verifier.verify(
        this.app!.publicKey,
        Buffer.from(signature, 'base64url'),
      ) &&
      JSON.parse(Buffer.from(payload, 'base64url').toString()).iss ===
        this.app!.appId;
    if (!valid) {
      sendJson(res, 401, { message: 'A JSON web token could not be decoded' });
      return;
    }
    if (req.method === 'GET' && path === '/app/installations') {
      sendJson(res, 200, [
        { id: 42, account: { login: 'acme' }, repository_selection: 'all' },
      ]);
    } else if (
      req.method === 'POST' &&
      path === '/app/installations/42/access_tokens'
    ) {
      const token = `ghs_installation_${this.installationTokens.length + 1}`;
      this.installationTokens.push(token);
      sendJson(res, 201, {
        token,
        expires_at: new Date(Date.now() + 3600_000).toISOString(),
        repository_selection: 'all',
      });
    } else {
      sendJson(res, 404, { message: 'Not Found' });
    }
  }

  revealRuns() {
    this.runs.unshift(...this.hiddenRuns);
    this.hiddenRuns = [];
  }

  private handle(req: ReceivedRequest, res: ServerResponse) {
    const fault = this.fault?.(req);
    if (fault?.kind === 'hang') {
      return;
    }
    if (fault?.kind === 'status') {
      sendJson(res, fault.status, fault.body ?? { message: 'Server Error' });
      return;
    }
    if (fault?.kind === 'malformed') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(fault.text);
      return;
    }
    if (fault?.kind === 'redirect') {
      res.writeHead(302, { Location: fault.location });
      res.end();
      return;
    }
    const url = new URL(req.url, 'http://fake');
    if (this.app && url.pathname.startsWith('/app/')) {
      this.handleApp(req, res, url.pathname);
      return;
    }
    const bearer = String(req.headers.authorization ?? '').replace(
      /^(Bearer|token) /,
      '',
    );
    if (bearer !== TOKEN && !this.installationTokens.includes(bearer)) {
      sendJson(res, 401, { message: 'Bad credentials' });
      return;
    }
    if (this.handleEnvironment(req, res, url.pathname)) {
      return;
    }
    const runMatch = /^\/repos\/acme\/shop\/actions\/runs\/(\d+)$/.exec(
      url.pathname,
    );
    if (
      req.method === 'POST' &&
      url.pathname === `${WORKFLOW_PATH}/dispatches`
    ) {
      const body = JSON.parse(req.body);
      const title = this.runName(body.inputs);
      this.addRun(body.inputs.promotion_id, {
        name: title,
        display_title: title,
        head_branch: body.ref,
      });
      res.writeHead(204);
      res.end();
    } else if (
      req.method === 'GET' &&
      url.pathname === `${WORKFLOW_PATH}/runs`
    ) {
      const event = url.searchParams.get('event');
      const branch = url.searchParams.get('branch');
      const perPage = Number(url.searchParams.get('per_page') ?? 30);
      const runs = this.runs.filter(
        r =>
          (!event || r.event === event) &&
          (!branch || r.head_branch === branch),
      );
      sendJson(res, 200, {
        total_count: runs.length,
        workflow_runs: runs.slice(0, perPage),
      });
    } else if (req.method === 'GET' && runMatch) {
      const run = this.runs.find(r => r.id === Number(runMatch[1]));
      if (run) {
        sendJson(res, 200, run);
      } else {
        sendJson(res, 404, { message: 'Not Found' });
      }
    } else {
      sendJson(res, 404, { message: 'Not Found' });
    }
  }
}
