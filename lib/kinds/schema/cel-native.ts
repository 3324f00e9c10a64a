/**
 * JavaScript twins of the CRD's CEL rules that ordinary manifests reach (a ServiceEntry reaches
 * seven), so that checking them does not load the CEL library: loading it is most of the start-up
 * of `cdk8s-istio analyze` on a few files. A twin answers only for the values it is sure about
 * (the types the schema allows, no `undefined` fields) and returns `UNSURE` otherwise, and the
 * rule then runs in CEL; tests check each twin against CEL on generated values.
 * @internal
 */

/** A twin's answer when the value is outside what it handles: evaluate the rule in CEL. @internal */
export const UNSURE = Symbol('unsure');

type Native = (self: unknown) => boolean | typeof UNSURE;

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * `has(self.key)` for the values the twins handle: absent, or present and defined. A key present
 * with the value `undefined` is left to CEL (`UNSURE`).
 */
function has(self: Record<string, unknown>, key: string): boolean | typeof UNSURE {
  if (!Object.prototype.hasOwnProperty.call(self, key)) return false;
  return self[key] === undefined ? UNSURE : true;
}

/** `has(self.key) ? self.key : fallback`, when the value is a string (else `UNSURE`). */
function stringOr(self: Record<string, unknown>, key: string, fallback: string): string | typeof UNSURE {
  const h = has(self, key);
  if (h === UNSURE) return UNSURE;
  if (!h) return fallback;
  return typeof self[key] === 'string' ? (self[key] as string) : UNSURE;
}

/** `(has(self.a) ? 1 : 0) + (has(self.b) ? 1 : 0) <= 1` */
function atMostOne(a: string, b: string): Native {
  return (self) => {
    if (!isMap(self)) return UNSURE;
    const x = has(self, a);
    const y = has(self, b);
    if (x === UNSURE || y === UNSURE) return UNSURE;
    return !(x && y);
  };
}

/** A list of strings, or `UNSURE`. */
function strings(value: unknown): string[] | typeof UNSURE {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : UNSURE;
}

const RULES = new Map<string, Native>(
  Object.entries({
    'self != "*"': (self) => (typeof self === 'string' ? self !== '*' : UNSURE),
    '!self.contains("*")': (self) => (typeof self === 'string' ? !self.includes('*') : UNSURE),
    // CEL ints arrive as bigint (cel.ts's toCel); anything else is left to CEL.
    '0 < self && self <= 65535': (self) => (typeof self === 'bigint' ? 0n < self && self <= 65535n : UNSURE),
    'self.all(l1, self.exists_one(l2, l1.number == l2.number))': (self) => {
      if (!Array.isArray(self) || !self.every((p) => isMap(p) && typeof p.number === 'bigint')) return UNSURE;
      const numbers = self.map((p) => (p as Record<string, bigint>).number);
      return new Set(numbers).size === numbers.length;
    },
    'self.all(key, !key.contains("*"))': (self) => (isMap(self) ? Object.keys(self).every((k) => !k.includes('*')) : UNSURE),
    'self.all(key, key.size() != 0)': (self) => (isMap(self) ? Object.keys(self).every((k) => k.length !== 0) : UNSURE),
    '(has(self.workloadSelector) ? 1 : 0) + (has(self.endpoints) ? 1 : 0) <= 1': atMostOne('workloadSelector', 'endpoints'),
    '(has(self.credentialName) ? 1 : 0) + (has(self.credentialNames) ? 1 : 0) <= 1': atMostOne('credentialName', 'credentialNames'),
    '(has(self.credentialNames) ? 1 : 0) + (has(self.tlsCertificates) ? 1 : 0) <= 1': atMostOne('credentialNames', 'tlsCertificates'),
    '(has(self.tlsCertificates) ? 1 : 0) + (has(self.credentialNames) ? 1 : 0) <= 1': atMostOne('tlsCertificates', 'credentialNames'),
    'has(self.address) || has(self.network)': (self) => {
      if (!isMap(self)) return UNSURE;
      const a = has(self, 'address');
      const n = has(self, 'network');
      if (a === UNSURE || n === UNSURE) return UNSURE;
      return a || n;
    },
    '!((has(self.addresses) ? self.addresses : []).exists(k, k.contains("/")) && !((has(self.resolution) ? self.resolution : "NONE") in ["STATIC", "NONE"]))':
      (self) => {
        if (!isMap(self)) return UNSURE;
        const h = has(self, 'addresses');
        const resolution = stringOr(self, 'resolution', 'NONE');
        if (h === UNSURE || resolution === UNSURE) return UNSURE;
        const addresses = h ? strings(self.addresses) : [];
        if (addresses === UNSURE) return UNSURE;
        return !(addresses.some((a) => a.includes('/')) && !['STATIC', 'NONE'].includes(resolution));
      },
    '((has(self.resolution) ? self.resolution : "NONE") == "NONE") ? !has(self.endpoints) : true': (self) => {
      if (!isMap(self)) return UNSURE;
      const resolution = stringOr(self, 'resolution', 'NONE');
      const endpoints = has(self, 'endpoints');
      if (resolution === UNSURE || endpoints === UNSURE) return UNSURE;
      return resolution === 'NONE' ? !endpoints : true;
    },
    '((has(self.resolution) ? self.resolution : "") == "DNS_ROUND_ROBIN") ? ((has(self.endpoints) ? self.endpoints : []).size() <= 1) : true':
      (self) => {
        if (!isMap(self)) return UNSURE;
        const resolution = stringOr(self, 'resolution', '');
        const endpoints = has(self, 'endpoints');
        if (resolution === UNSURE || endpoints === UNSURE) return UNSURE;
        if (resolution !== 'DNS_ROUND_ROBIN') return true;
        if (!endpoints) return true;
        return Array.isArray(self.endpoints) ? self.endpoints.length <= 1 : UNSURE;
      },
  } as Record<string, Native>),
);

/** The JavaScript twin of a CEL rule, if it has one. @internal */
export function nativeRule(rule: string): Native | undefined {
  return RULES.get(rule);
}

/** The rules with a twin (for the tests). @internal */
export function nativeRules(): string[] {
  return [...RULES.keys()];
}
