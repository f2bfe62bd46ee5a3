/**
 * Victim numbers never appear in a URL (URLs end up in logs and browser histories): a victim
 * page is addressed by the number sealed with AES-256-GCM under the case's key, a fresh token
 * each time it is rendered. A token that does not open is simply "not found".
 */
import crypto from 'node:crypto';

export interface Sealer {
  seal(text: string): string;
  open(token: string): string | null;
  /** A stable id for a number that does not reveal it (HMAC-SHA256): what notes on a victim are filed under. */
  stableId(text: string): string;
}

export function sealer(key: Buffer): Sealer {
  return {
    stableId: (text) =>
      crypto.createHmac('sha256', key).update(`victim:${text}`).digest('base64url'),
    seal(text) {
      const iv = crypto.randomBytes(12);
      const c = crypto.createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(text, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]).toString('base64url');
    },
    open(token) {
      const buf = Buffer.from(token, 'base64url');
      if (buf.length < 29 || buf.length > 200) return null;
      try {
        const d = crypto.createDecipheriv('aes-256-gcm', key, buf.subarray(0, 12));
        d.setAuthTag(buf.subarray(12, 28));
        return Buffer.concat([d.update(buf.subarray(28)), d.final()]).toString('utf8');
      } catch {
        return null;
      }
    },
  };
}
