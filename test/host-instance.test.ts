// Which EC2 instance the host is, read from the host: cloud-init's record, else a Nitro
// instance's DMI asset tag; nothing that is not an instance id.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostInstanceId } from '../src/host-instance.js';
import { scratchDir } from './scratch.js';

describe('hostInstanceId', () => {
  it.each<{ what: string; cloudInit: string | null; assetTag: string | null; expected: string | null }>([
    { what: "cloud-init's record", cloudInit: 'i-0123456789abcdef0\n', assetTag: null, expected: 'i-0123456789abcdef0' },
    { what: 'an older, 8-digit id', cloudInit: 'i-0abc1234\n', assetTag: null, expected: 'i-0abc1234' },
    // cloud-init off EC2 names its own instance: no EC2 id, so the asset tag is read.
    { what: 'cloud-init off EC2, a Nitro asset tag', cloudInit: 'iid-datasource-none\n', assetTag: 'i-0fedcba9876543210\n', expected: 'i-0fedcba9876543210' },
    { what: 'no cloud-init, the asset tag', cloudInit: null, assetTag: 'i-0fedcba9876543210', expected: 'i-0fedcba9876543210' },
    { what: "a laptop's asset tag", cloudInit: null, assetTag: 'Default string\n', expected: null },
    { what: 'neither', cloudInit: null, assetTag: null, expected: null },
  ])('$what', ({ cloudInit, assetTag, expected }) => {
    const dir = scratchDir('asgw-host-');
    const sources = [join(dir, 'instance-id'), join(dir, 'board_asset_tag')];
    if (cloudInit !== null) writeFileSync(sources[0]!, cloudInit);
    if (assetTag !== null) writeFileSync(sources[1]!, assetTag);
    expect(hostInstanceId(sources)).toBe(expected);
  });
});
