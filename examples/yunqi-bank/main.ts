/**
 * The Yunqi bank demo mesh, written with cdk8s-istio.
 *
 * `productpage` calls `details` and `addedvalues`; `addedvalues` runs three versions side by
 * side, and v3 calls an external style-transfer API. Everyone gets addedvalues v2, except users
 * whose login starts with `yunqi`, who get v3.
 *
 * Run: `npm run synth` → dist/yunqi-bank/ (the tutorial's files), dist/yunqi-bank-canary/
 * (the canary steps, each folder a complete set to apply on its own), dist/yunqi-bank-secure/
 * (the tutorial with zero trust: its `security.yaml` allows exactly the calls of the call graph)
 * and dist/yunqi-bank-egress/ (the egress step: styletransfer through the egress gateway).
 */
import { Chart } from 'cdk8s';
import {
  EgressGatewayRoute,
  EgressMode,
  ExternalService,
  IngressRoute,
  IstioApp,
  MeshNamespace,
  StringMatch,
  UserPrefixRoute,
  VersionedService,
  WeightedRoute,
  ZeroTrust,
} from '../../lib';

// ---- Settings -------------------------------------------------------------------------------
const REGISTRY = 'registry.example.com/yunqi-bank';
const IMAGES = {
  productpage: `${REGISTRY}/productpage:v1`,
  details: `${REGISTRY}/details:v1`,
  addedvalues: { v1: `${REGISTRY}/addedvalues:v1`, v2: `${REGISTRY}/addedvalues:v2`, v3: `${REGISTRY}/addedvalues:v3` },
};
const STYLETRANSFER_HOST = 'styletransfer.example.com';
const PORT = 9080;

/** The namespace, the services, their versions, the ingress and the egress: everything but the user routing. */
function defineMesh(app: IstioApp, egress: 'direct' | 'egress-gateway' = 'direct'): Mesh {
  // The tutorial's first step: label the namespace so that its pods get sidecars.
  new MeshNamespace(new Chart(app, 'namespace'), 'default');
  const workloads = new Chart(app, 'app');
  const destinationRules = new Chart(app, 'destination-rule-all');

  const productpage = new VersionedService(workloads, 'productpage', {
    port: PORT,
    destinationRuleScope: destinationRules,
    versions: [{ name: 'v1', image: IMAGES.productpage }],
  });
  const details = new VersionedService(workloads, 'details', {
    port: PORT,
    destinationRuleScope: destinationRules,
    versions: [{ name: 'v1', image: IMAGES.details }],
  });
  const addedvalues = new VersionedService(workloads, 'addedvalues', {
    port: PORT,
    destinationRuleScope: destinationRules,
    versions: [
      { name: 'v1', image: IMAGES.addedvalues.v1 },
      { name: 'v2', image: IMAGES.addedvalues.v2 },
      { name: 'v3', image: IMAGES.addedvalues.v3 },
    ],
  });

  new IngressRoute(new Chart(app, 'gateway'), 'yunqi', {
    gatewayName: 'yunqi-gateway',
    name: 'yunqi-bank',
    service: productpage,
    servicePort: PORT,
    uris: [
      StringMatch.exact('/productpage'),
      StringMatch.prefix('/static'),
      StringMatch.exact('/login'),
      StringMatch.exact('/logout'),
      StringMatch.prefix('/api/v1/products'),
    ],
  });

  if (egress === 'direct') {
    new ExternalService(new Chart(app, 'serviceentry'), 'styletransfer', { host: STYLETRANSFER_HOST, name: 'styletransfer' });
  } else {
    // addedvalues v3 calls http://styletransfer.example.com; the egress gateway originates TLS to port 443.
    new EgressGatewayRoute(new Chart(app, 'egress-gateway'), 'styletransfer', {
      host: STYLETRANSFER_HOST,
      name: 'styletransfer',
      mode: EgressMode.TLS_ORIGINATION,
    });
  }
  return { productpage, details, addedvalues };
}

/** The services of the mesh. */
interface Mesh {
  readonly productpage: VersionedService;
  readonly details: VersionedService;
  readonly addedvalues: VersionedService;
}

/** The user routing of the tutorial. */
function routeUsers(app: IstioApp, addedvalues: VersionedService): void {
  new UserPrefixRoute(new Chart(app, 'virtual-service-user-v2-v3'), 'addedvalues', {
    service: addedvalues,
    prefixes: [{ prefix: 'yunqi', version: 'v3' }],
    defaultVersion: 'v2',
  });
}

/** The tutorial: users whose login starts with `yunqi` get addedvalues v3, everyone else v2. */
export function synthTutorial(outdir: string): void {
  tutorialApp(outdir).synth();
}

/** The tutorial's app, not yet synthesized (the routing tests simulate it). */
export function tutorialApp(outdir: string = 'dist/yunqi-bank'): IstioApp {
  const app = new IstioApp({ outdir, outputFileExtension: '.yaml' });
  const { addedvalues } = defineMesh(app);
  routeUsers(app, addedvalues);
  return app;
}

/**
 * The tutorial with zero trust, from its call graph: productpage calls details and addedvalues,
 * the ingress gateway calls productpage (taken from the gateway's routes), addedvalues calls the
 * external style-transfer API. `security.yaml` holds STRICT mTLS, a default deny, one ALLOW
 * policy per called service, and the Sidecar that limits egress to the registry.
 */
export function synthSecure(outdir: string): void {
  const app = new IstioApp({ outdir, outputFileExtension: '.yaml' });
  const { productpage, details, addedvalues } = defineMesh(app);
  routeUsers(app, addedvalues);
  new ZeroTrust(new Chart(app, 'security'), 'zero-trust', {
    workloads: [productpage, details, addedvalues],
    calls: [
      { caller: productpage, callee: details },
      { caller: productpage, callee: addedvalues },
    ],
    externalHosts: [STYLETRANSFER_HOST],
  });
  app.synth();
}

/**
 * The tutorial's next step, egress traffic management: the same mesh and user routing, but
 * addedvalues v3 reaches styletransfer through the egress gateway, which originates TLS.
 */
export function synthEgress(outdir: string): void {
  const app = new IstioApp({ outdir, outputFileExtension: '.yaml' });
  const { addedvalues } = defineMesh(app, 'egress-gateway');
  new UserPrefixRoute(new Chart(app, 'virtual-service-user-v2-v3'), 'addedvalues', {
    service: addedvalues,
    prefixes: [{ prefix: 'yunqi', version: 'v3' }],
    defaultVersion: 'v2',
  });
  app.synth();
}

/** The canary: v1/v2 at 50/50, then everything to v2. Each step replaces the user routing. */
export const CANARY_STEPS = [
  { folder: 'step-1-v1-v2-50-50', weights: { v1: 50, v2: 50 } },
  { folder: 'step-2-v2', weights: { v1: 0, v2: 100 } },
];

export function synthCanary(outdir: string): void {
  for (const step of CANARY_STEPS) canaryApp(step, `${outdir}/${step.folder}`).synth();
}

/** The app of one canary step, not yet synthesized. */
export function canaryApp(step: (typeof CANARY_STEPS)[number], outdir: string = `dist/yunqi-bank-canary/${step.folder}`): IstioApp {
  const app = new IstioApp({ outdir, outputFileExtension: '.yaml' });
  const { addedvalues } = defineMesh(app);
  new WeightedRoute(new Chart(app, 'virtual-service-addedvalues'), 'addedvalues', {
    service: addedvalues,
    weights: Object.entries(step.weights).map(([version, weight]) => ({ version, weight })),
  });
  return app;
}

if (require.main === module) {
  try {
    synthTutorial('dist/yunqi-bank');
    synthCanary('dist/yunqi-bank-canary');
    synthSecure('dist/yunqi-bank-secure');
    synthEgress('dist/yunqi-bank-egress');
  } catch (err) {
    // A configuration mistake is reported as its message alone; anything else is a bug: keep the trace.
    if ((err as { isIstioConfigError?: boolean }).isIstioConfigError) {
      console.error((err as Error).message);
      process.exit(1);
    }
    throw err;
  }
}
