import { Construct } from 'constructs';
import { describe, fail, onBehalfOf } from '../kinds/errors';
import { HeaderMatch } from '../istio/match';
import { IGatewayRef } from '../istio/route-destination';
import { isHeaderMatchName } from '../kinds/fields';
import { VirtualService } from '../istio/virtual-service';
import { PatternMetadataOptions, RouteBehaviorOptions } from './pattern-options';
import { patternMetadata, routeBehavior } from './pattern-support';
import { IVersionedDestination } from './versioned-destination';

/**
 * Users whose login starts with `prefix` go to `version`. Timeout, retries, fault and mirrors
 * set here replace the route's shared ones for these users.
 */
export interface UserPrefixRule extends RouteBehaviorOptions {
  /** Start of the login (non-empty), e.g. `yunqi`. */
  readonly prefix: string;
  /** Version (subset) those users get. */
  readonly version: string;
}

/**
 * One user, by exact login, goes to `version`. Timeout, retries, fault and mirrors set here
 * replace the route's shared ones for this user (Istio's fault-injection task delays one user).
 */
export interface UserExactRule extends RouteBehaviorOptions {
  /** The login, e.g. `jason`. */
  readonly user: string;
  /** Version (subset) that user gets. */
  readonly version: string;
}

/**
 * Properties of a {@link UserPrefixRoute}. Timeout, retries, fault and mirrors apply to every
 * route it writes (the users' and prefixes' own settings take precedence).
 */
export interface UserPrefixRouteProps extends RouteBehaviorOptions, PatternMetadataOptions {
  /** The service whose versions are routed (a VersionedService or a DestinationRule). */
  readonly service: IVersionedDestination;

  /** Version everyone else gets. */
  readonly defaultVersion: string;

  /**
   * Login prefixes and the version each gets. Overlapping prefixes are ordered most specific
   * (longest) first, so no rule is shadowed by a shorter one.
   * @default - none
   */
  readonly prefixes?: UserPrefixRule[];

  /**
   * Exact logins and the version each gets; they are matched before any prefix.
   * @default - none
   */
  readonly users?: UserExactRule[];

  /**
   * Request header carrying the login.
   * @default 'end-user' - the header Bookinfo-style front ends forward
   */
  readonly header?: string;

  /**
   * Name of the VirtualService.
   * @default - the service host
   */
  readonly name?: string;

  /**
   * Gateways the route applies to.
   * @default - the mesh (sidecars) only
   */
  readonly gateways?: IGatewayRef[];
}

/**
 * Routes requests by user: a VirtualService for one service that sends users whose login
 * (in the `end-user` header) starts with a prefix to one version and everyone else to a
 * default version. With `{ prefixes: [{ prefix: 'yunqi', version: 'v3' }], defaultVersion: 'v2' }`
 * it writes the tutorial's `virtual-service-user-v2-v3.yaml`.
 */
export class UserPrefixRoute extends Construct {
  /** The VirtualService. */
  public readonly virtualService: VirtualService;

  public constructor(scope: Construct, id: string, props: UserPrefixRouteProps) {
    super(scope, id);
    const header = props.header ?? 'end-user';
    const name = props.name ?? props.service.host;
    const self = describe('UserPrefixRoute', name);
    if (!isHeaderMatchName(header)) {
      fail(
        self,
        'header',
        header,
        "must be an HTTP header name (RFC 7230 token: letters, digits and !#$%&'*+-.^_`|~)",
        "use e.g. 'end-user'",
      );
    }
    const prefixes = props.prefixes ?? [];
    const users = props.users ?? [];
    prefixes.forEach((rule, i) => {
      if (rule.prefix.length === 0) {
        fail(
          self,
          `prefixes[${i}].prefix`,
          rule.prefix,
          'must not be empty',
          'an empty prefix matches every user: use defaultVersion for that',
        );
      }
      const twin = prefixes.findIndex((r) => r.prefix === rule.prefix);
      if (twin !== i) fail(self, `prefixes[${i}].prefix`, rule.prefix, `is already routed by prefixes[${twin}]`);
    });
    users.forEach((rule, i) => {
      if (rule.user.length === 0) fail(self, `users[${i}].user`, rule.user, 'must not be empty');
      const twin = users.findIndex((r) => r.user === rule.user);
      if (twin !== i) fail(self, `users[${i}].user`, rule.user, `is already routed by users[${twin}]`);
    });

    this.virtualService = new VirtualService(this, 'Resource', {
      metadata: patternMetadata(name, props),
      hosts: [props.service.host],
      gateways: props.gateways,
    });
    const to = (field: string, version: string) => onBehalfOf(self, field, () => props.service.destination(version));
    // The routes are added in one batch: the VirtualService is checked once, not once per route.
    this.virtualService._batch(() => {
      users.forEach((rule, i) => {
        this.virtualService.addHttpRoute({
          match: [{ headers: [HeaderMatch.exact(header, rule.user)] }],
          route: [{ destination: to(`users[${i}].version`, rule.version) }],
          ...routeBehavior(props, rule),
        });
      });
      // Longest prefix first: 'yunqi-admin' must be tried before 'yunqi' or it is never reached.
      const ordered = prefixes
        .map((rule, index) => ({ rule, index }))
        .sort((a, b) => b.rule.prefix.length - a.rule.prefix.length || a.index - b.index);
      for (const { rule, index } of ordered) {
        this.virtualService.addHttpRoute({
          match: [{ headers: [HeaderMatch.prefix(header, rule.prefix)] }],
          route: [{ destination: to(`prefixes[${index}].version`, rule.version) }],
          ...routeBehavior(props, rule),
        });
      }
      this.virtualService.addHttpRoute({
        route: [{ destination: to('defaultVersion', props.defaultVersion) }],
        ...routeBehavior(props),
      });
    });
  }
}
