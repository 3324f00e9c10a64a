import { Duration } from 'cdk8s';
import * as fc from 'fast-check';
import {
  AuthorizationAction,
  AuthorizationPolicy,
  MtlsMode,
  OutboundTrafficPolicyMode,
  PeerAuthentication,
  Principal,
  RequestAuthentication,
  ServicePortProtocol,
  Sidecar,
  SidecarCaptureMode,
  WorkloadSelector,
} from '../../lib';
import { describeProperties, optional, Pools, property } from './support';

// The Sidecar and the security kinds (PeerAuthentication, AuthorizationPolicy,
// RequestAuthentication). Valid pools follow Istio's rules: a Sidecar sets something, egress
// ports unique and one catch-all listener last, port 0 only on a unix socket; port-level mTLS only
// with a selector; DENY and CUSTOM policies with rules, CUSTOM with a provider; a JWT rule with an
// issuer or a jwksUri.

const selector = (p: Pools) => optional(p.labels.map((l) => WorkloadSelector.matchLabels(l)));

const egressHost = (p: Pools) =>
  p.hostile
    ? fc.oneof(
        p.host,
        p.fqdn.map((h) => `ns/${h}`),
        fc.constantFrom('./*', '*/*', '~/*', 'a/b/c', '/x', 'ns/'),
      )
    : fc.oneof(
        fc.constantFrom('./*', 'istio-system/*', '*/api.example.com', '~/*'),
        fc.tuple(p.name, p.fqdn).map(([ns, h]) => `${ns}/${h}`),
      );

const sidecarPort = (p: Pools) =>
  fc.record(
    {
      number: p.port,
      protocol: fc.constantFrom(...Object.values(ServicePortProtocol)),
      name: p.name,
    },
    { requiredKeys: ['number'] },
  );

const sidecar = (p: Pools) =>
  fc
    .record({
      workloadSelector: optional(p.labels),
      egress: fc.array(
        fc.record(
          {
            hosts: fc.uniqueArray(egressHost(p), { minLength: p.hostile ? 0 : 1, maxLength: 3 }),
            port: sidecarPort(p),
            bind: p.hostile ? fc.constantFrom('127.0.0.1', 'unix:///var/run/s.sock', 'not-an-ip', '') : fc.constantFrom('127.0.0.1', '::1'),
            captureMode: fc.constantFrom(...Object.values(SidecarCaptureMode)),
          },
          { requiredKeys: ['hosts'] },
        ),
        { maxLength: 3 },
      ),
      ingress: fc.uniqueArray(
        fc.record(
          {
            port: sidecarPort(p),
            defaultEndpoint: p.hostile
              ? fc.constantFrom('127.0.0.1:8080', 'unix:///sock', '10.0.0.1:80', ':0', 'x')
              : fc.oneof(
                  fc.integer({ min: 1, max: 65535 }).map((n) => `127.0.0.1:${n}`),
                  fc.integer({ min: 1, max: 65535 }).map((n) => `[::1]:${n}`),
                  fc.constant('unix:///var/run/app.sock'),
                ),
            bind: p.hostile ? fc.constantFrom('0.0.0.0', 'x', '') : fc.constantFrom('0.0.0.0', '10.0.0.1'),
            captureMode: fc.constantFrom(...Object.values(SidecarCaptureMode)),
          },
          { requiredKeys: ['port'] },
        ),
        { maxLength: 2, selector: (i) => (p.hostile ? Math.random() : i.port.number) },
      ),
      outboundTrafficPolicy: optional(fc.constantFrom(...Object.values(OutboundTrafficPolicyMode))),
    })
    .map((s) => {
      if (p.hostile) return s;
      // Istio: egress ports unique; only the last listener may be without port.
      const ports = new Set<number>();
      const egress = s.egress
        .map((e, i) => ({ ...e, port: i === s.egress.length - 1 ? e.port : (e.port ?? { number: 9000 + i }) }))
        .filter((e) => !e.port || (!ports.has(e.port.number) && ports.add(e.port.number)));
      return { ...s, egress };
    })
    .filter((s) => p.hostile || s.egress.length + s.ingress.length > 0 || s.outboundTrafficPolicy !== undefined);

type PrincipalSpec = string | { ns: string; sa: string };
const principal = (p: Pools): fc.Arbitrary<PrincipalSpec> =>
  p.hostile
    ? fc.oneof(
        fc.tuple(p.name, p.name).map(([ns, sa]) => ({ ns, sa })),
        fc.constantFrom('*', 'cluster.local/ns/a/sa/b', '', '*/ns/a/*', 'a*b').map((v) => v),
      )
    : fc.oneof(
        fc.tuple(p.name, p.name).map(([ns, sa]) => ({ ns, sa })),
        fc.constantFrom('*', 'cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account', 'cluster.local/ns/prod/*'),
      );
const toPrincipal = (x: PrincipalSpec) => (typeof x === 'string' ? Principal.of(x) : Principal.serviceAccount(x.ns, x.sa));

const source = (p: Pools) =>
  fc.record(
    {
      principals: fc.array(principal(p), { minLength: 1, maxLength: 2 }),
      namespaces: fc.array(p.hostile ? p.text : p.name, { minLength: 1, maxLength: 2 }),
      ipBlocks: fc.array(
        p.hostile ? fc.constantFrom('10.0.0.0/8', '1.2.3.4', 'x', '') : fc.constantFrom('10.0.0.0/8', '192.168.1.1', '2001:db8::/32'),
        {
          minLength: 1,
          maxLength: 2,
        },
      ),
      requestPrincipals: fc.array(p.hostile ? p.text : fc.constantFrom('*', 'issuer.example.com/user'), { minLength: 1, maxLength: 2 }),
    },
    { requiredKeys: [] },
  );
const operation = (p: Pools) =>
  fc.record(
    {
      methods: fc.array(p.hostile ? p.text : fc.constantFrom('GET', 'POST', 'DELETE'), { minLength: 1, maxLength: 2 }),
      paths: fc.array(p.hostile ? p.text : fc.constantFrom('/api/*', '/healthz', '*/info', '/'), { minLength: 1, maxLength: 2 }),
      ports: fc.array(p.hostile ? p.int(1, 65535) : fc.integer({ min: 1, max: 65535 }), { minLength: 1, maxLength: 2 }),
      hosts: fc.array(p.hostile ? p.host : p.fqdn, { minLength: 1, maxLength: 2 }),
    },
    { requiredKeys: [] },
  );
const condition = (p: Pools) =>
  fc.record({
    key: p.hostile
      ? fc.oneof(fc.constantFrom('request.headers[x-user]', 'source.ip', 'destination.port'), p.text)
      : fc.constantFrom('request.headers[x-user]', 'source.namespace', 'request.auth.claims[iss]'),
    values: fc.array(p.hostile ? p.text : fc.constantFrom('alice', 'prod', 'https://issuer.example.com'), { minLength: 1, maxLength: 2 }),
  });

const nonEmptyRecord = <T extends object>(r: T) => Object.values(r).some((v) => v !== undefined);

describeProperties('Sidecar and security policies (property-based)', [
  property('Sidecar', sidecar, (scope, p) => {
    new Sidecar(scope, 'sc', p);
  }),
  property(
    'PeerAuthentication',
    (p) =>
      fc
        .record({
          selector: selector(p),
          mtlsMode: optional(fc.constantFrom(...Object.values(MtlsMode))),
          portLevelMtls: fc.uniqueArray(fc.record({ port: p.port, mode: fc.constantFrom(...Object.values(MtlsMode)) }), {
            maxLength: 2,
            selector: (x) => (p.hostile ? Math.random() : x.port),
          }),
        })
        // Istio: port-level modes need a selector.
        .map((r) => (p.hostile || r.selector ? r : { ...r, portLevelMtls: [] })),
    (scope, p) => {
      new PeerAuthentication(scope, 'pa', p);
    },
  ),
  property(
    'AuthorizationPolicy',
    (p) =>
      fc
        .record({
          selector: selector(p),
          action: optional(fc.constantFrom(...Object.values(AuthorizationAction))),
          provider: optional(p.name),
          rules: fc.array(
            fc.record(
              {
                from: fc.array(
                  source(p).filter((s) => p.hostile || nonEmptyRecord(s)),
                  { minLength: 1, maxLength: 2 },
                ),
                to: fc.array(
                  operation(p).filter((o) => p.hostile || nonEmptyRecord(o)),
                  { minLength: 1, maxLength: 2 },
                ),
                when: fc.array(condition(p), { minLength: 1, maxLength: 2 }),
              },
              { requiredKeys: [] },
            ),
            { maxLength: 2 },
          ),
        })
        .map((r) => {
          if (p.hostile) return r;
          // Istio: a provider only with CUSTOM, and CUSTOM needs one; DENY and CUSTOM need rules.
          const custom = r.action === AuthorizationAction.CUSTOM;
          const needsRules = custom || r.action === AuthorizationAction.DENY;
          const rules = needsRules && r.rules.length === 0 ? [{}] : r.rules;
          return { ...r, provider: custom ? (r.provider ?? 'ext-authz') : undefined, rules };
        })
        // Istio: CUSTOM matches neither principals nor namespaces (no identity at the time it runs), nor conditions on them.
        .map((r) =>
          p.hostile || r.action !== AuthorizationAction.CUSTOM
            ? r
            : {
                ...r,
                rules: r.rules.map((rule) => ({ to: rule.to, from: rule.from?.map((s) => ({ ipBlocks: s.ipBlocks ?? ['10.0.0.0/8'] })) })),
              },
        ),
    (scope, p) => {
      new AuthorizationPolicy(scope, 'ap', {
        ...p,
        rules: p.rules.map((rule) => ({
          ...rule,
          from: rule.from?.map((s: { principals?: PrincipalSpec[] }) => ({ ...s, principals: s.principals?.map(toPrincipal) })),
        })),
      });
    },
  ),
  property(
    'RequestAuthentication',
    (p) =>
      fc.record({
        selector: selector(p),
        jwtRules: fc.array(
          fc
            .record(
              {
                issuer: p.hostile ? p.text : fc.constantFrom('https://issuer.example.com', 'testing@secure.istio.io'),
                jwksUri: p.hostile
                  ? fc.constantFrom('https://a.example.com/jwks.json', 'not a url', '')
                  : fc.constant('https://issuer.example.com/.well-known/jwks.json'),
                audiences: fc.array(p.hostile ? p.text : p.fqdn, { maxLength: 2 }),
                fromHeaders: fc.array(
                  fc.record({
                    name: p.hostile ? p.text : fc.constantFrom('x-jwt', 'authorization'),
                    prefix: optional(fc.constant('Bearer ')),
                  }),
                  {
                    maxLength: 1,
                  },
                ),
                fromParams: fc.array(p.hostile ? p.text : fc.constantFrom('token', 'access_token'), { maxLength: 1 }),
                fromCookies: fc.array(p.hostile ? p.text : fc.constantFrom('session'), { maxLength: 1 }),
                outputClaimToHeaders: fc.array(
                  fc.record({
                    claim: p.hostile ? p.text : fc.constantFrom('sub', 'iss'),
                    header: p.hostile ? p.text : fc.constantFrom('x-sub', 'x-iss'),
                  }),
                  { maxLength: 1 },
                ),
                outputPayloadToHeader: p.hostile ? p.text : fc.constant('x-jwt-payload'),
                forwardOriginalToken: fc.boolean(),
                timeout: (p.hostile
                  ? fc.oneof(fc.integer({ min: 0, max: 10000 }), fc.constant(0.5))
                  : fc.integer({ min: 1, max: 10000 })
                ).map((n) => Duration.millis(n)),
              },
              { requiredKeys: [] },
            )
            // Istio: each rule names an issuer or a jwksUri.
            .filter((j) => p.hostile || j.issuer !== undefined || j.jwksUri !== undefined),
          { maxLength: 2 },
        ),
      }),
    (scope, p) => {
      new RequestAuthentication(scope, 'ra', p);
    },
  ),
]);
