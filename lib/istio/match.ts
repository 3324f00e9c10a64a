import {
  VirtualServiceSpecHttpMatchHeaders,
  VirtualServiceSpecHttpMatchQueryParams,
  VirtualServiceSpecHttpMatchUri,
} from '../../imports/istio-types';
import { FieldPath } from './field-path';
import { IGatewayRef } from './route-destination';

/** How a {@link StringMatch} compares a value. */
export enum StringMatchType {
  /** The whole value must be equal. */
  EXACT = 'exact',
  /** The value must start with the given string. */
  PREFIX = 'prefix',
  /** The whole value must match an RE2 regular expression. */
  REGEX = 'regex',
}

/**
 * A condition on a string (URI, scheme, method, authority, CORS origin).
 *
 * The VirtualService that uses it applies Istio's rules (a non-empty prefix except on `uri`, an
 * RE2 regex of at most 1024 characters) and names the field of a bad one.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#StringMatch
 */
export class StringMatch {
  /** Matches the exact value (`StringMatch.exact('/login')`). */
  public static exact(value: string): StringMatch {
    return new StringMatch(StringMatchType.EXACT, value);
  }

  /**
   * Matches values that start with `value` (`StringMatch.prefix('/static')`).
   * Only a `uri` match accepts an empty prefix (it matches every path).
   */
  public static prefix(value: string): StringMatch {
    return new StringMatch(StringMatchType.PREFIX, value);
  }

  /**
   * Matches values in full against an RE2 regular expression (`StringMatch.regex('^/v[0-9]+/.*')`).
   * RE2 has no lookaround and no backreferences; the pattern is at most 1024 characters.
   */
  public static regex(value: string): StringMatch {
    return new StringMatch(StringMatchType.REGEX, value);
  }

  /** How the value is compared. */
  public readonly type: StringMatchType;
  /** The value (or pattern) compared against. */
  public readonly value: string;

  private constructor(type: StringMatchType, value: string) {
    this.type = type;
    this.value = value;
  }

  /** @internal */
  public _toKube(): VirtualServiceSpecHttpMatchUri {
    switch (this.type) {
      case StringMatchType.EXACT:
        return { exact: this.value };
      case StringMatchType.PREFIX:
        return { prefix: this.value };
      case StringMatchType.REGEX:
        return { regex: this.value };
    }
  }
}

/**
 * A condition on one request header, for `headers` (must hold) and `withoutHeaders`
 * (must not hold). The VirtualService that uses it checks the name (an HTTP header name, a
 * pseudo-header or a JWT claim key) and the condition.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPMatchRequest
 */
export class HeaderMatch {
  /** The header `name` equals `value`. */
  public static exact(name: string, value: string): HeaderMatch {
    return new HeaderMatch(name, StringMatch.exact(value));
  }

  /** The header `name` starts with `value` (non-empty): `HeaderMatch.prefix('end-user', 'yunqi')`. */
  public static prefix(name: string, value: string): HeaderMatch {
    return new HeaderMatch(name, StringMatch.prefix(value));
  }

  /** The header `name` matches an RE2 regular expression in full. */
  public static regex(name: string, value: string): HeaderMatch {
    return new HeaderMatch(name, StringMatch.regex(value));
  }

  /**
   * The header `name` is present, whatever its value. Under `withoutHeaders` it
   * therefore means the header is absent. Rendered as an empty match (`{}`).
   */
  public static present(name: string): HeaderMatch {
    return new HeaderMatch(name, undefined);
  }

  /** The header name (or `@request.auth.claims.*` JWT claim key). */
  public readonly name: string;
  /**
   * The condition on the value.
   * @default - none: the header only has to be present
   */
  public readonly match?: StringMatch;

  private constructor(name: string, match: StringMatch | undefined) {
    this.name = name;
    this.match = match;
  }

  /** @internal */
  public _toKube(): VirtualServiceSpecHttpMatchHeaders {
    return this.match ? this.match._toKube() : {};
  }
}

/**
 * A condition on one query parameter. Istio does not support prefix matching here.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPMatchRequest
 */
export class QueryParamMatch {
  /** The parameter `name` equals `value`; `exact(name, '')` matches `?name` without a value. */
  public static exact(name: string, value: string): QueryParamMatch {
    return new QueryParamMatch(name, StringMatch.exact(value));
  }

  /** The parameter `name` matches an RE2 regular expression in full. */
  public static regex(name: string, value: string): QueryParamMatch {
    return new QueryParamMatch(name, StringMatch.regex(value));
  }

  /**
   * The query parameter name: non-empty, without `&`, `=`, `#` or spaces (stricter than Istio,
   * which does not check it, but such a name can never match).
   */
  public readonly name: string;
  /** The condition on the value. */
  public readonly match: StringMatch;

  private constructor(name: string, match: StringMatch) {
    this.name = name;
    this.match = match;
  }

  /**
   * Renders the condition at `at` (`spec.http[0].match[1].queryParams.<name>`).
   * @internal
   */
  public _toKube(at: FieldPath): VirtualServiceSpecHttpMatchQueryParams {
    if (this.name.length === 0 || /[&=#\s]/.test(this.name)) {
      at.fail(this.name, 'must be a non-empty parameter name without "&", "=", "#" or spaces');
    }
    return this.match._toKube();
  }
}

/**
 * Conditions of one HTTP match block; all set conditions must hold. A route matches
 * when any of its match blocks does.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPMatchRequest
 */
export interface HttpMatchOptions {
  /**
   * Condition on the request path. A `StringMatch.prefix('')` here matches every path.
   * @default - any path
   */
  readonly uri?: StringMatch;

  /**
   * Condition on the URI scheme (`http`, `https`).
   * @default - any scheme
   */
  readonly scheme?: StringMatch;

  /**
   * Condition on the HTTP method (`GET`, `POST`).
   * @default - any method
   */
  readonly method?: StringMatch;

  /**
   * Condition on the HTTP authority (`Host` header).
   * @default - any authority
   */
  readonly authority?: StringMatch;

  /**
   * Headers that must match; each name at most once.
   * @default - no header condition
   */
  readonly headers?: HeaderMatch[];

  /**
   * Headers that must not match; each name at most once.
   * @default - no header condition
   */
  readonly withoutHeaders?: HeaderMatch[];

  /**
   * Query parameters that must match; each name at most once.
   * @default - no query parameter condition
   */
  readonly queryParams?: QueryParamMatch[];

  /**
   * Port the request was addressed to, for services listening on several ports.
   * @default - any port
   */
  readonly port?: number;

  /**
   * Labels the calling workload must carry.
   * @default - any workload
   */
  readonly sourceLabels?: { [key: string]: string };

  /**
   * Namespace of the calling workload.
   * @default - any namespace
   */
  readonly sourceNamespace?: string;

  /**
   * Gateways this match block applies to; overrides the VirtualService's `gateways`.
   * @default - the VirtualService's gateways
   */
  readonly gateways?: IGatewayRef[];

  /**
   * Compare the `uri` case-insensitively (exact and prefix only: stricter than Istio, which
   * ignores it on a regex).
   * @default false
   */
  readonly ignoreUriCase?: boolean;

  /**
   * Name of the match block, appended to the route name in access logs and metrics.
   * @default - none
   */
  readonly name?: string;

  /**
   * Prefix of the statistics Envoy keeps for this match (`route.<statPrefix>.*`), for per-route
   * metrics. Envoy keeps these only when asked; each prefix costs proxy memory.
   * @default - no per-route statistics
   */
  readonly statPrefix?: string;
}
