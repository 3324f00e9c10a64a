import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import type { RequestAuthenticationSpec, RequestAuthenticationSpecJwtRules } from '../../imports/istio-types';
import { renderIstioDuration } from '../istio/field-checks';
import { IstioResource, IstioResourceProps } from '../istio/istio-resource';
import { WorkloadSelector } from './workload-identity';

/** Properties of a {@link RequestAuthentication}. */
export interface RequestAuthenticationProps extends IstioResourceProps {
  /**
   * The workloads (of the object's namespace) that check tokens, e.g. the ingress gateway's
   * `{ istio: 'ingressgateway' }` in `istio-system`.
   * @default - every workload of the namespace
   */
  readonly selector?: WorkloadSelector;

  /**
   * How to check tokens, one rule per issuer. More with `addJwtRule()`.
   * @default - none
   */
  readonly jwtRules?: JwtRuleOptions[];
}

/**
 * One accepted JWT issuer. A request with an invalid token is refused; a request without one is
 * accepted without request identity (use an AuthorizationPolicy to require one).
 * @see https://istio.io/latest/docs/reference/config/security/jwt/#JWTRule
 */
export interface JwtRuleOptions {
  /**
   * The issuer (`iss` claim) of the tokens.
   * @default - any issuer; then `jwksUri` is required
   */
  readonly issuer?: string;
  /**
   * Where to fetch the keys (JWKS); not with `jwks`.
   * @default - OpenID discovery from the issuer
   */
  readonly jwksUri?: string;
  /**
   * The keys inline, as a JSON Web Key Set; not with `jwksUri`.
   * @default - fetched from `jwksUri`
   */
  readonly jwks?: string;
  /**
   * Accepted audiences (`aud` claim).
   * @default - any audience
   */
  readonly audiences?: string[];
  /**
   * Headers carrying the token.
   * @default - `Authorization: Bearer <token>`
   */
  readonly fromHeaders?: JwtHeaderOptions[];
  /**
   * Query parameters carrying the token.
   * @default - `access_token` when no header or cookie is given
   */
  readonly fromParams?: string[];
  /**
   * Cookies carrying the token.
   * @default - none
   */
  readonly fromCookies?: string[];
  /**
   * Claims to copy into request headers, e.g. the `sub` claim into `x-end-user`, which routes can then match.
   * @default - none
   */
  readonly outputClaimToHeaders?: ClaimToHeaderOptions[];
  /**
   * Header to write the verified payload to (base64).
   * @default - none
   */
  readonly outputPayloadToHeader?: string;
  /**
   * Forward the token to the upstream.
   * @default false
   */
  readonly forwardOriginalToken?: boolean;
  /**
   * Timeout of fetching the JWKS.
   * @default Duration.seconds(5)
   */
  readonly timeout?: Duration;
}

/** A header carrying the token. */
export interface JwtHeaderOptions {
  /** Header name. */
  readonly name: string;
  /**
   * Prefix before the token in the header value (`Bearer `).
   * @default - none
   */
  readonly prefix?: string;
}

/** A claim to copy into a request header. */
export interface ClaimToHeaderOptions {
  /** The claim (`sub`, or a nested `a.b`). */
  readonly claim: string;
  /** The header to write (letters, digits, `-` and `_`). */
  readonly header: string;
}

/**
 * An Istio `RequestAuthentication`: which JWTs the selected workloads accept, from which
 * issuers, where the token is read from, and which claims are copied into headers.
 *
 * @see https://istio.io/latest/docs/reference/config/security/request_authentication/
 */
export class RequestAuthentication extends IstioResource {
  /**
   * The selector, when the policy applies to some workloads.
   * @default - the whole namespace
   */
  public readonly selector?: WorkloadSelector;
  private readonly _rules: JwtRuleOptions[] = [];

  public constructor(scope: Construct, id: string, props: RequestAuthenticationProps = {}) {
    super(scope, id, 'RequestAuthentication', props);
    this.selector = props.selector;
    for (const rule of props.jwtRules ?? []) this.addJwtRule(rule);
    this._constructed();
  }

  /** Adds a JWT rule. Throws, and adds nothing, when the policy with it is invalid. */
  public addJwtRule(rule: JwtRuleOptions): void {
    this._rules.push(rule);
    this._changedOrUndo(() => this._rules.pop());
  }

  /** The issuers of the rules, in order (empty strings for rules without issuer). */
  public get issuers(): string[] {
    return this._rules.map((r) => r.issuer ?? '');
  }

  /** @internal */
  protected _toSpec(): RequestAuthenticationSpec {
    return {
      selector: this.selector?._toKube(),
      jwtRules: this._rules.length > 0 ? this._rules.map(renderJwtRule) : undefined,
    };
  }
}

function nonEmpty<T>(values: readonly T[] | undefined): T[] | undefined {
  return values && values.length > 0 ? [...values] : undefined;
}

function renderJwtRule(rule: JwtRuleOptions): RequestAuthenticationSpecJwtRules {
  return {
    issuer: rule.issuer,
    jwksUri: rule.jwksUri,
    jwks: rule.jwks,
    audiences: nonEmpty(rule.audiences),
    fromHeaders: rule.fromHeaders?.map((h) => ({ name: h.name, prefix: h.prefix })),
    fromParams: nonEmpty(rule.fromParams),
    fromCookies: nonEmpty(rule.fromCookies),
    outputClaimToHeaders: rule.outputClaimToHeaders?.map((o) => ({ claim: o.claim, header: o.header })),
    outputPayloadToHeader: rule.outputPayloadToHeader,
    forwardOriginalToken: rule.forwardOriginalToken,
    timeout: rule.timeout ? renderIstioDuration(rule.timeout) : undefined,
  };
}
