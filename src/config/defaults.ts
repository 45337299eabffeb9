// The defaults of the tool around the engine (the engine's own are in schema.ts): in one place,
// so that docs/operations.md and docs/alerts.md have one source to agree with.

/** SMTP server when neither --smtp-url, $ASG_WATCHDOG_SMTP_URL nor the config file name one (as the original). */
export const DEFAULT_SMTP_URL = 'smtp://localhost:25';

/** Ticks in a row that could not read the group before an alert goes. */
export const AWS_FAILURE_ALERT_TICKS = 3;

/** How much history an alert mail carries. */
export const MAIL_HISTORY_MINUTES = 30;

/** An AWS region's name (us-east-1, us-gov-west-1, cn-north-1): checked wherever one is given, before any call. */
export const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** How far `instances -i` may move desired without --force: a typo of 30 for 3 is not a plan. */
export const MAX_MANUAL_STEP = 2;

/** Attempts per AWS call (the SDK's standard retry) and how long one may take: a tick holds a lock. */
export const AWS_MAX_ATTEMPTS = 3;
export const AWS_CALL_TIMEOUT_MS = 10_000;
export const AWS_CONNECT_TIMEOUT_MS = 3_000;

/** SMTP timeouts, short for the same reason. */
export const SMTP_CONNECT_TIMEOUT_MS = 5_000;
export const SMTP_SOCKET_TIMEOUT_MS = 10_000;

/** A crashed tick's lock on the state file is taken over after this long. */
export const STATE_LOCK_STALE_MS = 30_000;

/** A group watched with one state file is refused to another until the first has been silent this long (the kill budget's hour). */
export const OWNER_HANDOVER_MINUTES = 60;

/** The owner's own ticks rewrite its record only this often: it must be fresh to the hour, not the minute. */
export const OWNER_REFRESH_MINUTES = 5;

/** A tick's whole budget, from lock to mail: well inside cron's minute. */
export const TICK_BUDGET_SECONDS = 45;

/** An action starts only with this much of the budget left (or a quarter of a shorter budget): one AWS call's worst case. */
export const ACT_RESERVE_MS = 10_000;

/** Pages one listing may take before the tick calls it a broken endpoint (DescribeAutoScalingGroups of one group, GetMetricData). */
export const MAX_PAGES = 50;

/** A group's balancers' cross-zone setting is read again after this long: it seldom changes, and costs up to three calls a target group. */
export const CROSS_ZONE_READ_EVERY_MS = 60 * 60_000;

/** AWS's clock is read from the answers of this long back: a run that lives on (Lambda, watch-many) reads afresh. */
export const CLOCK_READINGS_KEPT_MS = 60_000;

/** A group's own scaling policies are read again after this long: a policy deleted gives the band back to the watchdog within it. */
export const SCALING_POLICIES_READ_EVERY_MS = 10 * 60_000;

/** Why a group does not launch: its newest this many scaling activities are read (AWS lists them newest first, one for each launch it tries). */
export const SCALING_ACTIVITIES_READ = 20;

/** AWS's message for a failed launch is cut to this many characters: it goes into an alert's one line. */
export const LAUNCH_FAILURE_CHARS = 300;

/** An alert that could not be mailed is tried again with every tick for this long. */
export const OUTBOX_MAX_AGE_HOURS = 24;

/** The mail gets the tick's budget less this, kept for saving what was mailed. */
export const MAIL_SAVE_MARGIN_MS = 1_000;

/** A config or scenario file is a few kilobytes; 16 MiB leaves room for a week of minutes. */
export const MAX_INPUT_FILE_BYTES = 16 * 1024 * 1024;

/** A group's lease in a state table outlives the run's budget by this much: it never lapses under a tick still running. */
export const LEASE_MARGIN_MS = 15_000;

/** `instances -i` / `-k` hold the group this long: one AWS call's worst case. */
export const MANUAL_CHANGE_BUDGET_MS = 30_000;

/** A Lambda invocation keeps this much of its timeout back from the ticks: for the logs and the leases' release. */
export const LAMBDA_MARGIN_MS = 5_000;

/**
 * Ticks of one run at a time: all of a 50-group file, so that their own calls (a balancer, the
 * recheck, the action) are one round trip for all; bounded for a file of 1,000.
 */
export const MANY_CONCURRENCY = 64;

/** The groups' shared read takes at most this share of a run's budget; the ticks get the rest. */
export const SHARED_READ_SHARE = 1 / 3;

/** An assumed role's credentials are renewed this long before they expire, so no call of a tick carries expired ones. */
export const ROLE_REFRESH_MS = 5 * 60_000;
