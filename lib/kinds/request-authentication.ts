import { arr, checkDuration, isObject, obj, str } from './common';
import { checkPolicySelector, checkTargetRefs } from './policy-scope';
import { Problems } from './problem';

// Parameters of private (or symmetric) JWK keys: a verifier only needs public keys.
const PRIVATE_KEY_PARAMS = ['d', 'p', 'q', 'dp', 'dq', 'qi'];

/**
 * Istio's admission rules for a RequestAuthentication beyond its CRD schema (the CRD already
 * refuses empty audiences and header names, jwksUri schemes other than http and https, and
 * setting both jwks and jwksUri).
 * @internal
 */
export function checkRequestAuthentication(r: Problems, object: any): void {
  const spec = obj(object.spec);
  if (!spec) return;
  checkPolicySelector(r, spec);
  checkTargetRefs(r, spec);
  arr(spec.jwtRules).forEach((rule, i) => checkJwtRule(r, `spec.jwtRules[${i}]`, rule));
}

function checkJwtRule(r: Problems, field: string, rule: unknown): void {
  const jwt = obj(rule);
  if (!jwt) return;
  const issuer = str(jwt.issuer) ?? '';
  const uriField = jwt.jwksUri !== undefined ? 'jwksUri' : 'jwks_uri';
  const uri = str(jwt[uriField]) ?? '';
  if (issuer === '' && uri === '') {
    r.errorAt(field, 'needs an issuer or a jwksUri', 'set issuer (the iss claim of the tokens), jwksUri, or both');
  }
  if (uri !== '' && /^https?:/i.test(uri) && !parsesAsUrl(uri)) {
    r.error(`${field}.${uriField}`, uri, 'is not a valid URL');
  }
  const jwks = str(jwt.jwks);
  if (jwks !== undefined && jwks !== '') {
    const keys = parseJwks(jwks);
    if (keys === undefined) {
      r.errorAt(`${field}.jwks`, 'is not a JSON Web Key Set', 'give {"keys": [...]} or a single JWK as JSON');
    } else {
      keys.forEach((key, i) => {
        if (key.kty === 'oct' || PRIVATE_KEY_PARAMS.some((p) => key[p] !== undefined)) {
          r.warnAt(
            `${field}.jwks`,
            `key ${i} holds private key material; only public keys are needed to verify tokens`,
            'publish the public key only',
          );
        }
      });
    }
  }
  arr(jwt.outputClaimToHeaders).forEach((o, i) => {
    if (o === null) r.errorAt(`${field}.outputClaimToHeaders[${i}]`, 'may not be null');
  });
  arr(jwt.fromHeaders).forEach((h, i) => {
    if (h === null) r.errorAt(`${field}.fromHeaders[${i}]`, 'may not be null');
  });
  checkDuration(r, `${field}.timeout`, jwt.timeout, true);
}

function parsesAsUrl(uri: string): boolean {
  try {
    new URL(uri);
    return true;
  } catch {
    return false;
  }
}

/** The keys of a JWK set (or of a single JWK) in JSON, or undefined when it is neither. */
function parseJwks(text: string): Record<string, any>[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(parsed)) return undefined;
  if (Array.isArray(parsed.keys)) return parsed.keys.every((k) => isObject(k) && typeof k.kty === 'string') ? parsed.keys : undefined;
  return typeof parsed.kty === 'string' ? [parsed] : undefined;
}
