import type { Rule } from '../context.js';
import { isPending } from '../figures.js';
import { RUN_ELSEWHERE } from '../rails.js';

/**
 * Told, not acted on: the watchdog runs on an instance of the group it watches. The rails never
 * kill that one, but a scale-in lets the group choose which instance goes, and it may choose this
 * one: the group would go unwatched, and nothing would say so. Protected from scale-in, or in
 * Standby (which no scale-in removes), it stays.
 */
export const hostRule: Rule = ({ snapshot }) => {
  if (snapshot.hostInstance === undefined) return null;
  const host = snapshot.instances.find((i) => i.id === snapshot.hostInstance);
  if (host === undefined || host.protectedFromScaleIn || !(host.lifecycle === 'InService' || isPending(host))) return null;
  const subject = `${snapshot.group.name}: the watchdog runs on ${host.id}, an instance of the group: a scale-in may remove it and leave the group unwatched; ${RUN_ELSEWHERE}, or protect ${host.id} from scale-in`;
  return { alerts: [{ key: 'host-in-group', rule: 'n-minus-1', subject }] };
};
