// The engine's public face: everything outside src/engine imports from here.
export { decide, RULES } from './decide.js';
export { initialState, STATE_VERSION } from './state.js';
export { reconcileIntent } from './reconcile.js';
export { alertDue, recordAlertsSent } from './alerts.js';
export { computeFigures, metricWindow, trimmedMean, median, mean, formatPercent, NOTHING_JOINING, CREDITS_EXHAUSTED, UNMEASURED_WORDS, ONE_MINUTE_CPU, lacksOneMinuteCpu, warmupFor, vcpusOf } from './figures.js';
export { BAND_STATES, heldLine } from './status.js';
export { ASSUMED_LAUNCH_MINUTES, extraLeadMinutes, launchFailureWords, launchMinutes, notLaunchingLong } from './launches.js';
export { networkWanted } from './network.js';
export type * from './types.js';
