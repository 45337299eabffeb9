/**
 * How a balancer that routes by least outstanding requests (a Classic Load Balancer's HTTP
 * listeners; an ALB target group set to it) splits a minute's requests when some of its targets
 * fail fast: they answer every request at once (with an error page), so they never have one
 * outstanding and are always among the least. Each request goes to a target with the fewest
 * outstanding, ties shared evenly; a healthy target is idle (none outstanding) with probability
 * 1 − u at utilisation u, as a single queue is (M/M/1; a server of many workers is idle less
 * often, so this is the least the fail-fast ones draw). With k fail-fast targets and n healthy
 * ones, the part of the requests the k take is
 *
 *   tiedPart(k, n, u) = E[k / (k + X)],  X ~ Binomial(n, 1 − u) the healthy ones idle,
 *
 * and u is what the healthy ones are left: (1 − part) × load, load the requests over their
 * capacity. The split is the part where the two agree (failFastPart).
 */

/** The part of the requests k fail-fast targets take beside n healthy ones busy at u (0 to 1). */
export function tiedPart(k: number, n: number, u: number): number {
  if (n === 0 || u >= 1) return 1;
  if (u <= 0) return k / (k + n);
  // The binomial's probabilities by their logarithms, so that no term underflows to 0 at the start.
  const idle = Math.log(1 - u);
  const busy = Math.log(u);
  let logP = n * busy;
  let part = 0;
  for (let x = 0; x <= n; x++) {
    part += (Math.exp(logP) * k) / (k + x);
    logP += Math.log((n - x) / (x + 1)) + idle - busy;
  }
  return Math.min(1, part);
}

/**
 * The part of the requests k fail-fast targets take from n healthy ones, where `load` is the
 * requests over the healthy ones' capacity: the fixed point of part = tiedPart(k, n, (1 − part) ×
 * load), found by bisection (tiedPart falls as part rises, so there is one). Between the even
 * share, k / (k + n), at no load, and 1: the healthy ones never idle, every request goes to them.
 */
export function failFastPart(k: number, n: number, load: number): number {
  if (k === 0) return 0;
  if (n === 0) return 1;
  let low = k / (k + n);
  let high = 1;
  for (let step = 0; step < 50; step++) {
    const mid = (low + high) / 2;
    if (tiedPart(k, n, Math.min(1, (1 - mid) * load)) > mid) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}
