import { Duration } from 'cdk8s';
import { HttpFaultOptions, HttpMirrorOptions, HttpRetryOptions } from '../istio/http-route';

/** Metadata a pattern puts on every object it writes (names stay the pattern's). */
export interface PatternMetadataOptions {
  /**
   * Namespace of the objects.
   * @default - the chart's
   */
  readonly namespace?: string;

  /**
   * Labels of the objects.
   * @default - none
   */
  readonly labels?: { [key: string]: string };

  /**
   * Annotations of the objects.
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
}

/**
 * What the HTTP routes a pattern writes do besides choosing a destination: Istio's request
 * timeouts, retries, fault injection and mirroring tasks.
 */
export interface RouteBehaviorOptions {
  /**
   * Timeout of the whole request, retries included.
   * @default - no timeout
   */
  readonly timeout?: Duration;

  /**
   * Retry policy.
   * @default - the mesh default
   */
  readonly retries?: HttpRetryOptions;

  /**
   * Faults (delays, aborts) injected for resilience testing.
   * @default - no fault
   */
  readonly fault?: HttpFaultOptions;

  /**
   * Destinations that receive a copy of each request (responses dropped), each with a percentage.
   * @default - no mirroring
   */
  readonly mirrors?: HttpMirrorOptions[];
}
