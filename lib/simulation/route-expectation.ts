import { RoutedDestination, RouteOutcome, RoutingDecision } from './decision';

/** A destination a request is expected to reach; unset fields are not checked. */
export interface ExpectedDestination {
  /**
   * The host: a FQDN, or a short name matched against the FQDN's first label(s) (`addedvalues`).
   * @default - any host
   */
  readonly host?: string;
  /**
   * The DestinationRule subset.
   * @default - any subset (to check that there is none, use `toReachWithoutSubset`)
   */
  readonly subset?: string;
  /**
   * The port.
   * @default - any port
   */
  readonly port?: number;
  /**
   * The share of requests in percent.
   * @default - for `toReach`, all of the traffic; for `toSplit`, not checked
   */
  readonly weight?: number;
  /**
   * The name of a workload (Deployment ...) that must be behind the destination.
   * @default - not checked
   */
  readonly workload?: string;
}

/**
 * Assertions on a {@link RoutingDecision}, one line each in a test. A failed check throws an
 * `Error` whose message states the expectation and explains the whole decision (the rule that
 * matched, the earlier rules and why they did not), so it works with any test runner.
 *
 * @example
 * sim.expect({ host: 'addedvalues', headers: { 'end-user': 'yunqi1' } }).toReach({ subset: 'v3' });
 */
export class RouteExpectation {
  /** The decision under test. */
  public readonly decision: RoutingDecision;

  public constructor(decision: RoutingDecision) {
    this.decision = decision;
  }

  /** All the traffic (or, with `weight`, that share of it) reaches the destination. */
  public toReach(expected: ExpectedDestination): RouteExpectation {
    const d = this.decision;
    const live = d.destinations.filter((x) => x.weight > 0);
    const ok =
      d.outcome === RouteOutcome.ROUTED &&
      (expected.weight === undefined
        ? live.length > 0 && live.every((x) => destinationMatches(x, expected))
        : d.destinations.some((x) => destinationMatches(x, expected) && sameWeight(x.weight, expected.weight!)));
    return this.check(ok, `to reach ${describe(expected)}`);
  }

  /** The traffic is split exactly over these destinations (the ones with a share above 0). */
  public toSplit(expected: ExpectedDestination[]): RouteExpectation {
    const live = this.decision.destinations.filter((x) => x.weight > 0);
    const remaining = [...live];
    let ok = this.decision.outcome === RouteOutcome.ROUTED && expected.length === live.length;
    for (const e of expected) {
      const i = remaining.findIndex((x) => destinationMatches(x, e) && (e.weight === undefined || sameWeight(x.weight, e.weight)));
      if (i < 0) ok = false;
      else remaining.splice(i, 1);
    }
    return this.check(ok, `to be split over ${expected.map(describe).join(' + ')}`);
  }

  /** The request is answered with a redirect (to `location`, when given). */
  public toRedirect(location?: string): RouteExpectation {
    const r = this.decision.redirect;
    return this.check(
      this.decision.outcome === RouteOutcome.REDIRECTED && (location === undefined || r?.location === location),
      `to be redirected${location ? ` to ${location}` : ''}`,
    );
  }

  /** The proxy answers by itself with this status (`directResponse`). */
  public toRespondWith(status: number): RouteExpectation {
    return this.check(
      this.decision.outcome === RouteOutcome.DIRECT_RESPONSE && this.decision.directResponse?.status === status,
      `to get a direct response ${status}`,
    );
  }

  /** The request ends with this outcome. */
  public toHaveOutcome(outcome: RouteOutcome): RouteExpectation {
    return this.check(this.decision.outcome === outcome, `to end ${outcome}`);
  }

  /** This rule decides (`namespace/name` of the root VirtualService, index in `http`/`tcp`/`tls`). */
  public toMatchRule(virtualService: string, ruleIndex: number): RouteExpectation {
    return this.check(
      this.decision.virtualService === virtualService && this.decision.ruleIndex === ruleIndex,
      `to be decided by ${virtualService} rule ${ruleIndex}`,
    );
  }

  private check(ok: boolean, expectation: string): RouteExpectation {
    if (!ok) {
      const r = this.decision.request;
      throw new Error(`Expected the request for ${r.host}${r.uri} ${expectation}, but:\n${this.decision.explain()}`);
    }
    return this;
  }
}

function destinationMatches(d: RoutedDestination, e: ExpectedDestination): boolean {
  if (e.host !== undefined) {
    const h = e.host.toLowerCase();
    if (d.host !== h && !d.host.startsWith(`${h}.`)) return false;
  }
  if (e.subset !== undefined && d.subset !== e.subset) return false;
  if (e.port !== undefined && d.port !== e.port) return false;
  if (e.workload !== undefined && !d.workloads.some((w) => w.name === e.workload)) return false;
  return true;
}

function sameWeight(a: number, b: number): boolean {
  return Math.abs(a - b) < 0.005;
}

function describe(e: ExpectedDestination): string {
  const parts = [
    e.host ?? 'any host',
    e.subset !== undefined ? `subset ${e.subset}` : '',
    e.port !== undefined ? `port ${e.port}` : '',
    e.weight !== undefined ? `${e.weight}%` : '',
    e.workload !== undefined ? `workload ${e.workload}` : '',
  ];
  return parts.filter((p) => p !== '').join(' ');
}
