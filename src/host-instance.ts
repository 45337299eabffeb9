// The EC2 instance this process runs on, read from the host itself (no call, no permission):
// cloud-init's record of it, else a Nitro instance's DMI asset tag. A watchdog on an instance of
// the group it watches could end with it (docs/operations.md, "Run it outside the group").
import { readFileSync } from 'node:fs';

/** Where the host says which instance it is, in that order. */
const HOST_INSTANCE_SOURCES: readonly string[] = ['/var/lib/cloud/data/instance-id', '/sys/devices/virtual/dmi/id/board_asset_tag'];
const INSTANCE_ID = /^i-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

/** The host's instance id, or null off EC2 (cloud-init elsewhere says `iid-…`, a board's tag is no id). */
export function hostInstanceId(sources: readonly string[] = HOST_INSTANCE_SOURCES): string | null {
  for (const file of sources) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const id = text.trim();
    if (INSTANCE_ID.test(id)) return id;
  }
  return null;
}
