import type { Fleet, SimInstance } from '../sim/fleet.js';
import { AwsError, list, type Params } from './protocol.js';
import type { World } from './world.js';

// EC2 DescribeInstances by instance id: type, zone, addresses, image and launch time.

function describeInstances(world: World, params: Params): Params {
  const ids = list(params, 'InstanceId').map(String);
  const wanted = new Set(ids);
  const filters = list(params, 'Filter') as Params[];
  const maxResults = params['MaxResults'] === undefined ? undefined : Number(params['MaxResults']);
  if (maxResults !== undefined && ids.length > 0) throw new AwsError('InvalidParameterCombination', 'The parameter instancesSet cannot be used with the parameter maxResults');
  if (maxResults !== undefined && !(Number.isInteger(maxResults) && maxResults >= 5 && maxResults <= 1000)) {
    throw new AwsError('InvalidParameterValue', `Value ( ${String(params['MaxResults'])} ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.`);
  }
  for (const f of filters) {
    if (f['Name'] !== 'tag:aws:autoscaling:groupName' && f['Name'] !== 'instance-id') throw new AwsError('InvalidParameterValue', `The filter '${String(f['Name'])}' is not supported by this endpoint.`);
  }
  const valueSets = filters.map((f) => ({ name: f['Name'], values: new Set(list(f, 'Value').map(String)) }));
  const matches = (fleet: Fleet, instance: SimInstance) => valueSets.every((f) => f.values.has(f.name === 'instance-id' ? instance.id : fleet.scenario.group.name));
  let found: Array<{ fleet: Fleet; instance: SimInstance }> = [];
  for (const fleet of world.groups.values()) {
    for (const instance of fleet.instances) {
      // Terminated instances stay visible (state "terminated") for a while, as on EC2.
      if (wanted.size > 0 && !wanted.has(instance.id)) continue;
      if (matches(fleet, instance)) found.push({ fleet, instance });
    }
  }
  const seen = new Set(found.map((f) => f.instance.id));
  const missing = ids.filter((id) => !seen.has(id));
  if (missing.length > 0) throw new AwsError('InvalidInstanceID.NotFound', `The instance ID${missing.length > 1 ? 's' : ''} '${missing.join(', ')}' do${missing.length > 1 ? '' : 'es'} not exist`);
  const start = params['NextToken'] === undefined ? 0 : Number(Buffer.from(String(params['NextToken']), 'base64url').toString());
  let nextToken: string | undefined;
  if (maxResults !== undefined) {
    nextToken = start + maxResults < found.length ? Buffer.from(String(start + maxResults)).toString('base64url') : undefined;
    found = found.slice(start, start + maxResults);
  }
  return {
    reservationSet: found.map(({ fleet, instance }) => {
      const d = world.details(fleet, instance);
      const state = instance.lifecycle === 'Terminated' ? { code: 48, name: 'terminated' } : instance.lifecycle === 'Pending' ? { code: 0, name: 'pending' } : { code: 16, name: 'running' };
      return {
        reservationId: `r-0${instance.id.slice(3)}`,
        ownerId: '123456789012',
        instancesSet: [
          {
            instanceId: instance.id,
            imageId: d.imageId,
            instanceState: state,
            privateDnsName: d.privateDns,
            instanceType: d.type,
            launchTime: new Date(d.launchTime),
            placement: { availabilityZone: d.zone, tenancy: 'default' },
            privateIpAddress: d.privateIp,
            monitoring: { state: fleet.scenario.group.monitoring === 'basic' ? 'disabled' : 'enabled' },
            tagSet: [{ key: 'aws:autoscaling:groupName', value: fleet.scenario.group.name }],
          },
        ],
      };
    }),
    nextToken,
  };
}

export const ec2Operations: Record<string, (world: World, params: Params) => Params> = { DescribeInstances: describeInstances };
