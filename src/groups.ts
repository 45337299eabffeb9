// The groups of a run, from a config file's "groups": each with its AWS settings (the group's
// region and profile over the run's), its settings under the run's overrides, and its mail. The
// CLI (`watch -c FILE`) and the Lambda handler make their runs with it; a clash is exit 2 before
// anything runs.
import { AwsSettingError, resolveAwsSettings, type AwsFlags, type AwsSettings } from './aws/settings.js';
import { resolveConfig, type ConfigFile, type ConfigInput, type GroupEntry } from './config/index.js';
import { UsageError } from './errors.js';
import type { Pause } from './state/store.js';
import type { TickOptions } from './tick.js';
import type { GroupTask } from './watch-many.js';

export interface RunSettings {
  /** The run's region, profile and endpoint (flags, or a Lambda's environment); a group's own go over them. */
  aws: AwsFlags;
  /** Settings over every group's (--low, --high, -u). */
  overrides: ConfigInput;
  /** The config's name in messages: its path, or its S3 URL. */
  where: string;
  /** When the config was last written: since when a group it pauses is paused. */
  writtenAt: number;
  mailFor(entry: GroupEntry, aws: AwsSettings): TickOptions['mail'];
}

export async function groupTasks(file: ConfigFile, run: RunSettings): Promise<GroupTask[]> {
  const settings = new Map<string, Promise<AwsSettings>>();
  const awsOf = (entry: GroupEntry) => {
    const flags = { ...run.aws, region: entry.region ?? run.aws.region, profile: entry.profile ?? run.aws.profile, ...(entry.profile && { profileFrom: 'its "profile"' }) };
    const key = JSON.stringify([flags.region ?? null, flags.profile ?? null, flags.profileFrom ?? null]);
    if (!settings.has(key)) settings.set(key, resolveAwsSettings(flags));
    return settings.get(key)!;
  };
  // The group's region (its own, or the run's it falls back on) and its own profile are said of
  // it, by its place and name; the run's endpoint or profile as they are.
  const ofGroup = (entry: GroupEntry, index: number) =>
    awsOf(entry).catch((error: unknown) => {
      const its = error instanceof AwsSettingError && (error.setting === 'region' || (error.setting === 'profile' && entry.profile));
      return Promise.reject(its ? new UsageError(`${run.where}: groups.${index} (${entry.name}): ${error.message}`) : error);
    });
  const resolved = await Promise.all(file.groups.map(async (entry, index) => ({ entry, aws: { ...(await ofGroup(entry, index)), ...(entry.role !== null && { role: entry.role }) } })));
  const seen = new Map<string, number>();
  for (const { entry, aws } of resolved) {
    const key = `${entry.role ?? ''}/${aws.region}/${entry.name}`;
    if (seen.has(key)) throw new UsageError(`${run.where}: groups.${seen.get(key)} and groups.${file.groups.indexOf(entry)} are both ${entry.name} in ${aws.region}${entry.role ? ` through ${entry.role}` : ''}`);
    seen.set(key, file.groups.indexOf(entry));
  }
  const shared = (name: string) => resolved.filter((r) => r.entry.name === name).length > 1;
  return resolved.map(({ entry, aws }) => ({
    label: shared(entry.name) ? `${aws.region}/${entry.name}` : entry.name,
    group: entry.name,
    aws,
    config: resolveConfig({ ...entry.engine, ...run.overrides }, `${run.where} (${entry.name})`),
    mail: run.mailFor(entry, aws),
    paused: pauseOf(entry, run.where, run.writtenAt),
  }));
}

/** A group the config file pauses: paused since the file was written, by the file. */
export function pauseOf(entry: GroupEntry | null, where: string, writtenAt: number): Pause | null {
  return entry?.paused ? { since: writtenAt, reason: entry.paused.reason, by: `the config file ${where}` } : null;
}
