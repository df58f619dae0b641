import { Config } from '@backstage/config';
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  randomBytes,
} from 'crypto';

const FORMAT = 'v1';

/** One encryption key; the first configured key encrypts, all decrypt. @public */
export interface SecretKey {
  id: string;
  key: Buffer;
}

/** Thrown when a stored secret cannot be decrypted (wrong key or tampered). */
export class SecretDecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretDecryptionError';
  }
}

/**
 * AES-256-GCM encryption of phase secrets at rest, with key rotation:
 * ciphertexts name the key that made them, the first key encrypts, any
 * configured key decrypts. Values are never logged or put in errors.
 * @public
 */
export class SecretCipher {
  /**
   * Reads `release.secrets.keys`. Outside development and tests a missing
   * key stops the backend; a key of the wrong length always does.
   */
  static fromConfig(
    config: Config,
    options: { env?: string; warn?: (message: string) => void } = {},
  ): SecretCipher {
    const env = options.env ?? process.env.NODE_ENV;
    const entries = config.getOptionalConfigArray('release.secrets.keys') ?? [];
    const keys = entries.map((c, i) => {
      const id = c.getString('id');
      if (!/^[A-Za-z0-9_-]{1,32}$/.test(id)) {
        throw new Error(
          `release.secrets.keys[${i}].id must be 1-32 letters, digits, '_' or '-'`,
        );
      }
      const key = Buffer.from(c.getString('key'), 'base64');
      if (key.length !== 32) {
        throw new Error(
          `release.secrets.keys[${i}] (id '${id}') must be 32 bytes encoded as base64 (AES-256); it is ${key.length} bytes. Generate one with: node -e "console.log(require('crypto').randomBytes(32).toString('base64'))"`,
        );
      }
      return { id, key };
    });
    if (keys.length === 0) {
      if (env !== 'development' && env !== 'test') {
        throw new Error(
          'release.secrets.keys is not configured: phase secrets need an AES-256 key outside development. Add release.secrets.keys: [{ id: k1, key: <32 random bytes, base64> }]',
        );
      }
      options.warn?.(
        'release.secrets.keys is not configured; using a fixed development key. Never do this in production.',
      );
      keys.push({ id: 'dev', key: Buffer.alloc(32, 7) });
    }
    return new SecretCipher(keys);
  }

  private fingerprintKey: Buffer;

  constructor(private readonly keys: SecretKey[]) {
    if (keys.length === 0) {
      throw new Error('SecretCipher needs at least one key');
    }
    // Until `loadFingerprintKey` runs: derived from the first key (as
    // before round 2, so existing fingerprints keep matching).
    this.fingerprintKey = Buffer.from(
      hkdfSync(
        'sha256',
        keys[0].key,
        Buffer.alloc(0),
        'release-secret-fingerprint',
        32,
      ),
    );
  }

  /** `v1:<keyId>:<iv>:<tag>:<ciphertext>`, all base64. */
  encrypt(plaintext: string): string {
    const { id, key } = this.keys[0];
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(`${FORMAT}:${id}`));
    const ct = Buffer.concat([
      cipher.update(plaintext, 'utf8'),
      cipher.final(),
    ]);
    const tag = cipher.getAuthTag();
    return [
      FORMAT,
      id,
      iv.toString('base64'),
      tag.toString('base64'),
      ct.toString('base64'),
    ].join(':');
  }

  decrypt(stored: string): string {
    const parts = stored.split(':');
    if (parts.length !== 5 || parts[0] !== FORMAT) {
      throw new SecretDecryptionError('Stored secret has an unknown format');
    }
    const [, id, iv, tag, ct] = parts;
    const key = this.keys.find(k => k.id === id);
    if (!key) {
      throw new SecretDecryptionError(
        `Stored secret was encrypted with key '${id}', which is not configured in release.secrets.keys`,
      );
    }
    try {
      const decipher = createDecipheriv(
        'aes-256-gcm',
        key.key,
        Buffer.from(iv, 'base64'),
      );
      decipher.setAAD(Buffer.from(`${FORMAT}:${id}`));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([
        decipher.update(Buffer.from(ct, 'base64')),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new SecretDecryptionError(
        `Stored secret could not be decrypted with key '${id}': it was tampered with or the key is wrong`,
      );
    }
  }

  /**
   * Makes fingerprints independent of the encryption keys, so that a key
   * rotation never changes them (invariant 35): the fingerprint key is kept
   * in the plugin's database, encrypted like a secret. The first start
   * stores the key derived from the first key of that time, so
   * fingerprints recorded earlier stay valid.
   */
  async loadFingerprintKey(settings: {
    get(key: string): Promise<string | undefined>;
    putIfAbsent(key: string, value: string): Promise<void>;
  }) {
    const name = 'secret_fingerprint_key';
    let stored = await settings.get(name);
    if (!stored) {
      await settings.putIfAbsent(
        name,
        this.encrypt(this.fingerprintKey.toString('base64')),
      );
      stored = (await settings.get(name))!;
    }
    this.fingerprintKey = Buffer.from(this.decrypt(stored), 'base64');
  }

  /**
   * The ciphertext of the same value under the current first key, or
   * undefined when it already is under that key (re-encryption after a key
   * rotation; the value and its fingerprint do not change).
   */
  reencrypt(stored: string): string | undefined {
    const id = stored.split(':')[1];
    if (id === this.keys[0].id) return undefined;
    return this.encrypt(this.decrypt(stored));
  }

  /** The id of the key new secrets are encrypted with. */
  get currentKeyId(): string {
    return this.keys[0].id;
  }

  /**
   * A short keyed fingerprint of a value, so two phases' secrets can be
   * compared without revealing them.
   */
  fingerprint(value: string): string {
    return createHmac('sha256', this.fingerprintKey)
      .update(value)
      .digest('hex')
      .slice(0, 16);
  }
}
