import { ConfigReader } from '@backstage/config';
import { SecretCipher } from './SecretCipher';

const key = (fill: number) => Buffer.alloc(32, fill).toString('base64');
const config = (keys: Array<{ id: string; key: string }>) =>
  new ConfigReader({ release: { secrets: { keys } } });

describe('SecretCipher', () => {
  it('encrypts with AES-256-GCM and decrypts', () => {
    const cipher = SecretCipher.fromConfig(config([{ id: 'k1', key: key(1) }]));
    const stored = cipher.encrypt('hunter2');
    expect(stored).toMatch(/^v1:k1:[^:]+:[^:]+:[^:]+$/);
    expect(stored).not.toContain('hunter2');
    expect(cipher.decrypt(stored)).toBe('hunter2');
    // A fresh IV every time.
    expect(cipher.encrypt('hunter2')).not.toBe(stored);
  });

  it('rotates keys: decrypts with any configured key, encrypts with the first', () => {
    const old = SecretCipher.fromConfig(config([{ id: 'k1', key: key(1) }]));
    const stored = old.encrypt('s3cret');
    const rotated = SecretCipher.fromConfig(
      config([
        { id: 'k2', key: key(2) },
        { id: 'k1', key: key(1) },
      ]),
    );
    expect(rotated.decrypt(stored)).toBe('s3cret');
    expect(rotated.encrypt('s3cret')).toMatch(/^v1:k2:/);
    const withoutOld = SecretCipher.fromConfig(
      config([{ id: 'k2', key: key(2) }]),
    );
    expect(() => withoutOld.decrypt(stored)).toThrow(
      "Stored secret was encrypted with key 'k1', which is not configured in release.secrets.keys",
    );
  });

  it('rejects tampered ciphertext, tag or key id', () => {
    const cipher = SecretCipher.fromConfig(
      config([
        { id: 'k1', key: key(1) },
        { id: 'k9', key: key(9) },
      ]),
    );
    const [v, id, iv, tag, ct] = cipher.encrypt('value').split(':');
    const flip = (b64: string) => {
      const b = Buffer.from(b64, 'base64');
      b[0] ^= 1;
      return b.toString('base64');
    };
    for (const bad of [
      [v, id, iv, tag, flip(ct)],
      [v, id, iv, flip(tag), ct],
      [v, id, flip(iv), tag, ct],
      [v, 'k9', iv, tag, ct],
    ]) {
      expect(() => cipher.decrypt(bad.join(':'))).toThrow(
        /tampered with or the key is wrong/,
      );
    }
    expect(() => cipher.decrypt('plain text')).toThrow(/unknown format/);
  });

  it('refuses a key of the wrong length, and a missing key outside development', () => {
    expect(() =>
      SecretCipher.fromConfig(
        config([{ id: 'k1', key: Buffer.alloc(16).toString('base64') }]),
      ),
    ).toThrow(/must be 32 bytes encoded as base64 \(AES-256\); it is 16 bytes/);
    expect(() =>
      SecretCipher.fromConfig(new ConfigReader({}), { env: 'production' }),
    ).toThrow(/release.secrets.keys is not configured/);
    const warnings: string[] = [];
    const dev = SecretCipher.fromConfig(new ConfigReader({}), {
      env: 'development',
      warn: m => warnings.push(m),
    });
    expect(dev.decrypt(dev.encrypt('x'))).toBe('x');
    expect(warnings[0]).toMatch(/fixed development key/);
  });

  it('fingerprints values without revealing them', () => {
    const cipher = SecretCipher.fromConfig(config([{ id: 'k1', key: key(1) }]));
    expect(cipher.fingerprint('a')).toMatch(/^[0-9a-f]{16}$/);
    expect(cipher.fingerprint('a')).toBe(cipher.fingerprint('a'));
    expect(cipher.fingerprint('a')).not.toBe(cipher.fingerprint('b'));
  });
});
