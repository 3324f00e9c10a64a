import { isIpOrCidr } from './fields';
import { arr, obj, str } from './common';
import { checkPolicySelector, checkTargetRefs } from './policy-scope';
import { Problems } from './problem';

/** The fields of `from.source` (each a list of strings). */
const SOURCE_FIELDS = [
  'principals',
  'notPrincipals',
  'requestPrincipals',
  'notRequestPrincipals',
  'namespaces',
  'notNamespaces',
  'serviceAccounts',
  'notServiceAccounts',
  'trustDomains',
  'notTrustDomains',
  'ipBlocks',
  'notIpBlocks',
  'remoteIpBlocks',
  'notRemoteIpBlocks',
];
/** Source fields a CUSTOM policy cannot match on (its external authorizer sees no peer identity). */
const CUSTOM_UNSUPPORTED_SOURCE = SOURCE_FIELDS.filter((f) => !/[iI]pBlocks$/.test(f));
/** Source fields an L4 (TCP) filter can evaluate: all but the request principals. */
const TCP_SOURCE_FIELDS = SOURCE_FIELDS.filter((f) => !/[rR]equestPrincipals$/.test(f) && !/[tT]rustDomains$/.test(f));
const OPERATION_FIELDS = ['hosts', 'notHosts', 'ports', 'notPorts', 'methods', 'notMethods', 'paths', 'notPaths'];
/** `when` keys a CUSTOM policy cannot use. */
const CUSTOM_UNSUPPORTED_KEYS = ['source.namespace', 'source.serviceAccount', 'source.trustDomain', 'source.principal'];
// Go's strconv.ParseBool, which reads the dry-run annotation.
const GO_BOOLS = new Set(['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False']);
// A path segment of a path template: RFC 3986 pchar.
const PATH_LITERAL = /^[a-zA-Z0-9\-._~%!$&'()+,;:@=]+$/;

/**
 * Istio's admission rules for an AuthorizationPolicy beyond its CRD schema (the CRD's CEL rules
 * already refuse several selector kinds at once and serviceAccounts beside principals or namespaces).
 * @internal
 */
export function checkAuthorizationPolicy(r: Problems, object: any): void {
  const spec = obj(object.spec) ?? {};
  const action = str(spec.action) ?? 'ALLOW';
  checkDryRun(r, object, action);
  checkPolicySelector(r, spec);
  checkTargetRefs(r, spec);
  const rulesSet = spec.rules !== undefined && spec.rules !== null;

  if (action === 'CUSTOM') {
    if (!rulesSet) {
      r.errorAt('spec.rules', 'a CUSTOM policy without rules never applies', 'add an empty rule {} to apply it to every request');
    } else if (str(obj(spec.provider)?.name) === undefined || spec.provider.name === '') {
      r.errorAt('spec.provider.name', 'must name the external authorization provider of a CUSTOM policy');
    }
  } else if (spec.provider !== undefined && spec.provider !== null) {
    r.errorAt('spec.provider', `may only be set with action CUSTOM (action is ${action})`, 'remove the provider or use action CUSTOM');
  }
  if (action === 'DENY' && !rulesSet) {
    r.errorAt('spec.rules', 'a DENY policy without rules never applies', 'add an empty rule {} to deny every request');
  }

  arr(spec.rules).forEach((rule, i) => checkRule(r, `spec.rules[${i}]`, rule, action));
}

function checkDryRun(r: Problems, object: any, action: string): void {
  const value = obj(obj(object.metadata)?.annotations)?.['istio.io/dry-run'];
  if (value === undefined) return;
  const field = 'metadata.annotations.istio.io/dry-run';
  if (action !== 'ALLOW' && action !== 'DENY') {
    r.error(field, value, `is only supported with action ALLOW or DENY (action is ${action})`);
  } else if (typeof value !== 'string' || !GO_BOOLS.has(value)) {
    r.error(field, value, "must be a boolean ('true' or 'false')");
  }
}

function checkRule(r: Problems, field: string, rule: unknown, action: string): void {
  const rl = obj(rule);
  if (!rl) {
    if (rule === null) r.errorAt(field, 'a rule may not be null', 'use {} to match every request');
    return;
  }
  let fromExists = false;
  let toExists = false;
  let tcpInFrom = false;
  let tcpInTo = false;

  if (Array.isArray(rl.from) && rl.from.length === 0) r.errorAt(`${field}.from`, 'may not be an empty list; omit it to match every source');
  arr(rl.from).forEach((from, j) => {
    const f = `${field}.from[${j}]`;
    const src = obj(obj(from)?.source);
    if (!src) {
      r.errorAt(from === null ? f : `${f}.source`, 'must be set', 'give at least one source condition');
      return;
    }
    fromExists = true;
    if (SOURCE_FIELDS.every((k) => arr(src[k]).length === 0)) {
      r.errorAt(`${f}.source`, 'may not be empty', 'give at least one condition (principals, namespaces, ipBlocks, ...)');
    }
    for (const k of SOURCE_FIELDS) {
      arr(src[k]).forEach((v, n) => {
        if (v === '') r.error(`${f}.source.${k}[${n}]`, v, 'may not be empty');
      });
    }
    for (const k of ['ipBlocks', 'notIpBlocks', 'remoteIpBlocks', 'notRemoteIpBlocks']) {
      arr(src[k]).forEach((v, n) => {
        if (typeof v === 'string' && v !== '' && !isIpOrCidr(v)) {
          r.error(`${f}.source.${k}[${n}]`, v, 'must be an IP address or CIDR block');
        }
      });
    }
    for (const k of ['serviceAccounts', 'notServiceAccounts']) {
      arr(src[k]).forEach((v, n) => checkServiceAccount(r, `${f}.source.${k}[${n}]`, v));
    }
    for (const k of ['trustDomains', 'notTrustDomains']) {
      arr(src[k]).forEach((v, n) => checkTrustDomain(r, `${f}.source.${k}[${n}]`, v));
    }
    if (TCP_SOURCE_FIELDS.some((k) => src[k] !== undefined && src[k] !== null)) tcpInFrom = true;
    if (action === 'CUSTOM') {
      for (const k of CUSTOM_UNSUPPORTED_SOURCE) {
        if (arr(src[k]).length > 0) {
          r.errorAt(`${f}.source.${k}`, 'is not supported with action CUSTOM', 'match on ipBlocks, to or when instead');
        }
      }
    }
  });

  if (Array.isArray(rl.to) && rl.to.length === 0) r.errorAt(`${field}.to`, 'may not be an empty list; omit it to match every operation');
  arr(rl.to).forEach((to, j) => {
    const f = `${field}.to[${j}]`;
    const op = obj(obj(to)?.operation);
    if (!op) {
      r.errorAt(to === null ? f : `${f}.operation`, 'must be set', 'give at least one operation condition');
      return;
    }
    toExists = true;
    if (OPERATION_FIELDS.every((k) => arr(op[k]).length === 0)) {
      r.errorAt(`${f}.operation`, 'may not be empty', 'give at least one condition (methods, paths, ports, hosts, ...)');
    }
    for (const k of OPERATION_FIELDS) {
      arr(op[k]).forEach((v, n) => {
        if (v === '') r.error(`${f}.operation.${k}[${n}]`, v, 'may not be empty');
      });
    }
    for (const k of ['ports', 'notPorts']) {
      arr(op[k]).forEach((v, n) => {
        if (typeof v === 'string' && v !== '' && !isPortString(v)) {
          r.error(`${f}.operation.${k}[${n}]`, v, 'must be a port number (0-65535)');
        }
      });
    }
    for (const k of ['paths', 'notPaths']) {
      arr(op[k]).forEach((v, n) => {
        const problem = typeof v === 'string' ? pathTemplateProblem(v) : undefined;
        if (problem) r.error(`${f}.operation.${k}[${n}]`, v, problem);
      });
    }
    if ((op.ports !== undefined && op.ports !== null) || (op.notPorts !== undefined && op.notPorts !== null)) tcpInTo = true;
  });

  arr(rl.when).forEach((condition, j) => checkCondition(r, `${field}.when[${j}]`, condition, action));

  if (action === 'DENY' && ((fromExists && !toExists && !tcpInFrom) || (toExists && !tcpInTo))) {
    r.warnAt(
      field,
      'matches on HTTP attributes only, so this DENY rule denies all traffic to TCP ports in its scope',
      'name the ports explicitly (to.operation.ports)',
    );
  }
}

function checkCondition(r: Problems, field: string, condition: unknown, action: string): void {
  const c = obj(condition);
  if (!c) {
    if (condition === null) r.errorAt(field, 'a condition may not be null');
    return;
  }
  const key = str(c.key);
  if (key === undefined) return; // the schema requires it
  if (key === '') {
    r.error(`${field}.key`, key, 'may not be empty');
    return;
  }
  if (action === 'CUSTOM' && (CUSTOM_UNSUPPORTED_KEYS.includes(key) || key.startsWith('request.auth.'))) {
    r.error(`${field}.key`, key, 'is not supported with action CUSTOM');
  }
  const values = arr(c.values);
  const notValues = arr(c.notValues);
  if (values.length === 0 && notValues.length === 0) {
    r.errorAt(field, `needs values or notValues for key '${key}'`);
    return;
  }
  for (const [k, list] of [
    ['values', values],
    ['notValues', notValues],
  ] as const) {
    const problem = attributeProblem(key, list);
    if (problem) r.error(`${field}.${k}`, list, problem);
  }
}

/** Why `values` are not valid for the condition `key`, as Istio's ValidateAttribute decides. */
function attributeProblem(key: string, values: readonly unknown[]): string | undefined {
  if (values.some((v) => v === '')) return `may not contain an empty value (key '${key}')`;
  const strings = values.filter((v): v is string => typeof v === 'string');
  const mapKey = (): string | undefined => {
    const open = key.indexOf('[');
    return key.endsWith(']') && open > 0 && open < key.length - 2 ? undefined : `has a bad key '${key}': use the form name[key]`;
  };
  if (key.startsWith('request.headers')) return mapKey();
  if (key === 'source.ip' || key === 'remote.ip' || key === 'destination.ip') {
    const bad = strings.find((v) => !isIpOrCidr(v));
    return bad === undefined ? undefined : `must be IP addresses or CIDR blocks ('${bad}' is not)`;
  }
  if (key === 'source.serviceAccount') {
    const probe = new Problems();
    strings.forEach((v) => checkServiceAccount(probe, key, v));
    return probe.list[0]?.rule;
  }
  if (key === 'source.trustDomain') {
    const bad = strings.find((v) => wildcardProblem(v) !== undefined);
    return bad === undefined ? undefined : wildcardProblem(bad);
  }
  if (key === 'destination.port') {
    const bad = strings.find((v) => !isPortString(v));
    return bad === undefined ? undefined : `must be port numbers (0-65535) ('${bad}' is not)`;
  }
  if (key.startsWith('request.auth.claims') || key.startsWith('experimental.envoy.filters.')) return mapKey();
  if (
    [
      'source.namespace',
      'source.principal',
      'request.auth.principal',
      'request.auth.audiences',
      'request.auth.presenter',
      'connection.sni',
    ].includes(key)
  ) {
    return undefined;
  }
  if (key === 'destination.namespace') return `uses key '${key}', which the policy's own namespace replaces`;
  if (key.startsWith('destination.labels')) return `uses key '${key}', which the policy's selector replaces`;
  if (key === 'destination.name' || key === 'destination.user') return `uses key '${key}', which only v1alpha1 supported`;
  return `uses an unknown key '${key}'`;
}

function isPortString(v: string): boolean {
  return /^\d+$/.test(v) && Number(v) <= 65535;
}

function checkServiceAccount(r: Problems, field: string, v: unknown): void {
  if (typeof v !== 'string' || v === '') return; // empty values are reported with the others
  if (v.includes('*')) {
    r.error(field, v, 'may not contain a wildcard');
    return;
  }
  const slashes = v.split('/').length - 1;
  const [ns, sa] = v.split('/');
  if (slashes > 1 || (slashes === 1 && (ns === '' || sa === ''))) {
    r.error(field, v, "must be 'serviceAccount' or 'namespace/serviceAccount'");
  }
}

function wildcardProblem(v: string): string | undefined {
  const stars = v.split('*').length - 1;
  if (stars > 1) return `has more than one wildcard ('${v}')`;
  if (stars === 1 && v !== '*' && !v.startsWith('*') && !v.endsWith('*')) {
    return `has a wildcard in the middle ('${v}'); only a leading or trailing '*' is allowed`;
  }
  return undefined;
}

function checkTrustDomain(r: Problems, field: string, v: unknown): void {
  if (typeof v !== 'string' || v === '') return;
  const problem = wildcardProblem(v);
  if (problem) r.error(field, v, problem.replace(/ \('.*?'\)/, ''));
  else if (v.includes('/')) {
    r.error(field, v, "may not contain '/'", "a trust domain is the first part of a principal, e.g. 'cluster.local'");
  }
}

/** Why a path (or path template with `{*}` / `{**}`) is refused, or undefined. */
function pathTemplateProblem(path: string): string | undefined {
  const template = path.includes('{*}') || path.includes('{**}');
  let anySeen = false;
  for (const glob of path.replace(/^\/+|\/+$/g, '').split('/')) {
    if ((glob === '{*}' || glob === '{**}') && anySeen) return "has a template operator after '{**}', which must be the last";
    if (glob === '{**}') {
      anySeen = true;
      continue;
    }
    if (glob === '{*}') continue;
    if (glob.includes('{') || glob.includes('}')) return "contains '{' or '}' outside a '{*}' or '{**}' template operator";
    if (template && !PATH_LITERAL.test(glob)) return `has a segment ('${glob}') that is not a valid path literal`;
  }
  return undefined;
}
