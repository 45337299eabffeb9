// Small scenarios built in code for the fleet-model and policy tests.
import { parseScenario, type Scenario } from '../../src/sim/scenario.js';

export function scenario(overrides: Record<string, unknown> = {}, group: Record<string, unknown> = {}): Scenario {
  return parseScenario(
    {
      version: 1,
      name: 'test',
      durationMinutes: 30,
      seed: 1,
      group: { name: 'web', min: 1, max: 10, desired: 2, launchMinutes: 3, loadBalancer: 'classic', ...group },
      demand: [[0, 1.2]],
      noise: 0,
      faults: [],
      ...overrides,
    },
    'test scenario',
  );
}
