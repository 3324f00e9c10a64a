/**
 * Istio's traffic-management tasks, each written with cdk8s-istio constructs only (no escape
 * hatch). Each task writes a folder with `app.yaml` (the sample workloads the task deploys) and
 * one file of Istio configuration, the task's own.
 *
 * Run: `npx ts-node examples/traffic-management/main.ts` → dist/traffic-management/<task>/.
 *
 * @see https://istio.io/latest/docs/tasks/traffic-management/
 */
import { Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import {
  EgressGatewayRoute,
  EgressMode,
  Gateway,
  GatewayProtocol,
  HttpFaultAbort,
  HttpFaultDelay,
  HttpFaultOptions,
  IngressRoute,
  IstioApp,
  LoadBalancer,
  MeshNamespace,
  RouteDestination,
  ServerTls,
  StringMatch,
  TrafficPolicy,
  UserPrefixRoute,
  VersionedService,
  VirtualService,
  WeightedRoute,
  WeightedRouteProtocol,
} from '../../lib';

const SAMPLES = 'registry.example.com/istio-samples';

/** One task: the folder it writes and the name of its Istio configuration file (without `.yaml`). */
export interface TrafficTask {
  readonly folder: string;
  readonly config: string;
  readonly define: (app: Chart, config: Chart) => void;
}

interface Bookinfo {
  readonly productpage: VersionedService;
  readonly reviews: VersionedService;
  readonly ratings: VersionedService;
  readonly details: VersionedService;
}

/** A sample service: its workloads in `app`, its DestinationRule (one subset per version) in `config`. */
function sample(
  app: Chart,
  config: Chart,
  name: string,
  versions: string[],
  port = 9080,
  more: { portName?: string; trafficPolicy?: TrafficPolicy } = {},
): VersionedService {
  return new VersionedService(app, name, {
    port,
    portName: more.portName,
    destinationRuleScope: config,
    trafficPolicy: more.trafficPolicy,
    versions: versions.map((v) => ({ name: v, image: `${SAMPLES}/${name}:${v}` })),
  });
}

function bookinfo(app: Chart, config: Chart): Bookinfo {
  new MeshNamespace(app, 'default');
  return {
    productpage: sample(app, config, 'productpage', ['v1']),
    details: sample(app, config, 'details', ['v1']),
    reviews: sample(app, config, 'reviews', ['v1', 'v2', 'v3']),
    ratings: sample(app, config, 'ratings', ['v1']),
  };
}

/** Every service of Bookinfo to v1 (the tasks' first step). */
function allToV1(config: Construct, services: VersionedService[]): void {
  for (const s of services) new WeightedRoute(config, `${s.host}-v1`, { service: s, weights: [{ version: 'v1', weight: 100 }] });
}

const JASON = 'jason';

/** The fault-injection task: jason gets reviews v2 (which calls ratings), and a fault on ratings. */
function faultForJason(app: Chart, config: Chart, fault: HttpFaultOptions): void {
  const b = bookinfo(app, config);
  allToV1(config, [b.productpage, b.details]);
  new UserPrefixRoute(config, 'reviews', { service: b.reviews, users: [{ user: JASON, version: 'v2' }], defaultVersion: 'v1' });
  new UserPrefixRoute(config, 'ratings', { service: b.ratings, users: [{ user: JASON, version: 'v1', fault }], defaultVersion: 'v1' });
}

export const TASKS: readonly TrafficTask[] = [
  {
    // Request routing: jason gets reviews v2, everyone else v1.
    folder: 'request-routing',
    config: 'virtual-service-reviews-test-v2',
    define: (app, config) => {
      const b = bookinfo(app, config);
      allToV1(config, [b.productpage, b.details, b.ratings]);
      new UserPrefixRoute(config, 'reviews', { service: b.reviews, users: [{ user: JASON, version: 'v2' }], defaultVersion: 'v1' });
    },
  },
  {
    // Fault injection, delay: jason's calls to ratings are delayed by 7s.
    folder: 'fault-injection-delay',
    config: 'virtual-service-ratings-test-delay',
    define: (app, config) => faultForJason(app, config, { delay: HttpFaultDelay.fixed(Duration.seconds(7), 100) }),
  },
  {
    // Fault injection, abort: jason's calls to ratings fail with HTTP 500.
    folder: 'fault-injection-abort',
    config: 'virtual-service-ratings-test-abort',
    define: (app, config) => faultForJason(app, config, { abort: HttpFaultAbort.httpStatus(500, 100) }),
  },
  {
    // Traffic shifting: reviews half to v1, half to v3.
    folder: 'traffic-shifting',
    config: 'virtual-service-reviews-50-v3',
    define: (app, config) => {
      const b = bookinfo(app, config);
      allToV1(config, [b.productpage, b.details, b.ratings]);
      new WeightedRoute(config, 'reviews', {
        service: b.reviews,
        weights: [
          { version: 'v1', weight: 50 },
          { version: 'v3', weight: 50 },
        ],
      });
    },
  },
  {
    // TCP traffic shifting: connections to the gateway's port 31400 go 80/20 to tcp-echo v1/v2.
    folder: 'tcp-traffic-shifting',
    config: 'tcp-echo-20-v2',
    define: (app, config) => {
      new MeshNamespace(app, 'default');
      const echo = sample(app, config, 'tcp-echo', ['v1', 'v2'], 9000, { portName: 'tcp' });
      const gateway = new Gateway(config, 'tcp-echo-gateway', { servers: [{ port: 31400, protocol: GatewayProtocol.TCP, hosts: ['*'] }] });
      new WeightedRoute(config, 'tcp-echo', {
        service: echo,
        protocol: WeightedRouteProtocol.TCP,
        gateways: [gateway],
        port: 31400,
        weights: [
          { version: 'v1', weight: 80 },
          { version: 'v2', weight: 20 },
        ],
      });
    },
  },
  {
    // Request timeouts: reviews v2 answers within 0.5s, while ratings is delayed by 2s.
    folder: 'request-timeouts',
    config: 'virtual-service-reviews-timeout',
    define: (app, config) => {
      const b = bookinfo(app, config);
      allToV1(config, [b.productpage, b.details]);
      new WeightedRoute(config, 'reviews', {
        service: b.reviews,
        weights: [{ version: 'v2', weight: 100 }],
        timeout: Duration.millis(500),
      });
      new WeightedRoute(config, 'ratings', {
        service: b.ratings,
        weights: [{ version: 'v1', weight: 100 }],
        fault: { delay: HttpFaultDelay.fixed(Duration.seconds(2), 100) },
      });
    },
  },
  {
    // Circuit breaking: httpbin accepts one connection and one pending request; failing hosts are ejected.
    folder: 'circuit-breaking',
    config: 'destination-rule-httpbin',
    define: (app, config) => {
      new MeshNamespace(app, 'default');
      sample(app, config, 'httpbin', ['v1'], 8000, {
        trafficPolicy: TrafficPolicy.of({
          connectionPool: { tcp: { maxConnections: 1 }, http: { http1MaxPendingRequests: 1, maxRequestsPerConnection: 1 } },
          outlierDetection: {
            consecutive5xxErrors: 1,
            interval: Duration.seconds(1),
            baseEjectionTime: Duration.minutes(3),
            maxEjectionPercent: 100,
          },
        }),
      });
    },
  },
  {
    // Mirroring: all traffic to httpbin v1, a copy of every request to v2.
    folder: 'mirroring',
    config: 'virtual-service-httpbin-mirror',
    define: (app, config) => {
      new MeshNamespace(app, 'default');
      const httpbin = sample(app, config, 'httpbin', ['v1', 'v2'], 8000);
      new WeightedRoute(config, 'httpbin', {
        service: httpbin,
        weights: [{ version: 'v1', weight: 100 }],
        mirrors: [{ destination: httpbin.destination('v2'), percentage: 100 }],
      });
    },
  },
  {
    // Locality failover: helloworld traffic stays in region1 and fails over to region2.
    folder: 'locality-failover',
    config: 'destination-rule-helloworld',
    define: (app, config) => {
      new MeshNamespace(app, 'default');
      sample(app, config, 'helloworld', ['v1', 'v2'], 5000, {
        trafficPolicy: TrafficPolicy.of({
          loadBalancer: LoadBalancer.byLocality({ enabled: true, failover: [{ from: 'region1', to: 'region2' }] }),
          outlierDetection: { consecutive5xxErrors: 1, interval: Duration.seconds(1), baseEjectionTime: Duration.minutes(1) },
        }),
      });
    },
  },
  {
    // Ingress gateway: httpbin.example.com/status and /delay through the ingress gateway.
    folder: 'ingress-gateway',
    config: 'httpbin-gateway',
    define: (app, config) => {
      new MeshNamespace(app, 'default');
      const httpbin = sample(app, config, 'httpbin', ['v1'], 8000);
      new IngressRoute(config, 'httpbin', {
        service: httpbin,
        servicePort: 8000,
        gatewayName: 'httpbin-gateway',
        name: 'httpbin',
        hosts: ['httpbin.example.com'],
        uris: [StringMatch.prefix('/status'), StringMatch.prefix('/delay')],
      });
    },
  },
  {
    // Ingress SNI passthrough: TLS for nginx.example.com reaches the nginx server unterminated.
    folder: 'ingress-sni-passthrough',
    config: 'nginx-passthrough',
    define: (app, config) => {
      new MeshNamespace(app, 'default');
      const nginx = sample(app, config, 'my-nginx', ['v1'], 443, { portName: 'https' });
      const gateway = new Gateway(config, 'mygateway', {
        servers: [{ port: 443, protocol: GatewayProtocol.TLS, hosts: ['nginx.example.com'], tls: ServerTls.passthrough() }],
      });
      new VirtualService(config, 'nginx', {
        hosts: ['nginx.example.com'],
        gateways: [gateway],
        tls: [
          { match: [{ port: 443, sniHosts: ['nginx.example.com'] }], route: [{ destination: RouteDestination.to(nginx, { port: 443 }) }] },
        ],
      });
    },
  },
  {
    // Egress gateway, HTTP: requests for edition.cnn.com leave the mesh through the egress gateway.
    folder: 'egress-gateway-http',
    config: 'egress-cnn',
    define: (_app, config) => {
      new EgressGatewayRoute(config, 'cnn', { host: 'edition.cnn.com', name: 'cnn', mode: EgressMode.HTTP });
    },
  },
  {
    // Egress gateway, TLS origination: plain HTTP from the application, TLS from the egress gateway.
    folder: 'egress-tls-origination',
    config: 'egress-cnn-tls-origination',
    define: (_app, config) => {
      new EgressGatewayRoute(config, 'cnn', { host: 'edition.cnn.com', name: 'cnn', mode: EgressMode.TLS_ORIGINATION });
    },
  },
  {
    // Egress gateway, TLS passthrough: the application's TLS crosses the egress gateway on SNI.
    folder: 'egress-tls-passthrough',
    config: 'egress-cnn-tls-passthrough',
    define: (_app, config) => {
      new EgressGatewayRoute(config, 'cnn', { host: 'edition.cnn.com', name: 'cnn', mode: EgressMode.TLS_PASSTHROUGH });
    },
  },
];

/** Writes one task's folder: `app.yaml` (its workloads, when it has some) and `<config>.yaml`. */
export function synthTask(task: TrafficTask, outdir: string): void {
  const app = new IstioApp({ outdir: `${outdir}/${task.folder}`, outputFileExtension: '.yaml' });
  const workloads = new Chart(app, 'app');
  const config = new Chart(app, task.config);
  task.define(workloads, config);
  // The egress tasks deploy nothing of their own: no empty app.yaml.
  if (workloads.node.children.length === 0) app.node.tryRemoveChild(workloads.node.id);
  app.synth();
}

if (require.main === module) {
  for (const task of TASKS) synthTask(task, 'dist/traffic-management');
}
