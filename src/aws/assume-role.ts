// A group in another account, reached by assuming a role of that account (a config group's
// "role"): STS AssumeRole with the run's own credentials, the temporary credentials kept until
// five minutes before they expire, one AssumeRole for all the clients of the group's connection.
import { ROLE_REFRESH_MS } from '../config/defaults.js';
import { ROLE_ARN } from '../config/index.js';
import { RuntimeFailure } from '../errors.js';
import type { AwsOptions } from './clients.js';

export interface TemporaryCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

/** `arn:aws:iam::123456789012:role/asg-watchdog` → 123456789012: the account the role reaches. */
export function accountOfRole(role: string): string | null {
  return ROLE_ARN.exec(role)?.[1] ?? null;
}


export function assumedRole(role: string, base: AwsOptions, stsConfig: (options: AwsOptions) => Record<string, unknown>): () => Promise<TemporaryCredentials> {
  let current: Promise<TemporaryCredentials> | null = null;
  return async () => {
    const held = current ? await current.catch(() => null) : null;
    if (held && held.expiration.getTime() - Date.now() > ROLE_REFRESH_MS) return held;
    current = (async () => {
      const { STSClient, AssumeRoleCommand } = await import('./lazy/sts.js');
      const sts = new STSClient(stsConfig({ ...base, role: undefined }));
      try {
        const out = await sts.send(new AssumeRoleCommand({ RoleArn: role, RoleSessionName: 'asg-watchdog', DurationSeconds: 900 }));
        const c = out.Credentials;
        if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) throw new Error('STS returned no credentials');
        return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration ?? new Date(Date.now() + 900_000) };
      } catch (error) {
        const e = error as { name?: string; message?: string };
        throw new RuntimeFailure(`cannot assume role ${role}: ${e.name ?? 'Error'}: ${e.message ?? String(error)} (the run's credentials need sts:AssumeRole on it, and its trust policy must allow them)`, { cause: error });
      } finally {
        sts.destroy();
      }
    })();
    return current;
  };
}
