import { parseYaml } from './helpers';

/** Bookinfo-shaped objects (networking.istio.io/v1), all valid. */
export const BOOKINFO = parseYaml(`
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: shop-gateway
spec:
  selector:
    istio: ingressgateway
  servers:
  - port:
      number: 8080
      name: http
      protocol: HTTP
    hosts:
    - "*"
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: shop
spec:
  hosts:
  - "*"
  gateways:
  - shop-gateway
  http:
  - match:
    - uri:
        exact: /productpage
    - uri:
        prefix: /static
    - uri:
        prefix: /api/v1/products
    route:
    - destination:
        host: productpage
        port:
          number: 9080
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: addedvalues
spec:
  hosts:
  - addedvalues
  http:
  - match:
    - headers:
        end-user:
          prefix: yunqi
    route:
    - destination:
        host: addedvalues
        subset: v3
  - route:
    - destination:
        host: addedvalues
        subset: v1
      weight: 50
    - destination:
        host: addedvalues
        subset: v2
      weight: 50
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: addedvalues
spec:
  host: addedvalues
  trafficPolicy:
    tls:
      mode: ISTIO_MUTUAL
  subsets:
  - name: v1
    labels:
      version: v1
  - name: v2
    labels:
      version: v2
  - name: v3
    labels:
      version: v3
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: styletransfer
spec:
  hosts:
  - api.styletransfer.example.com
  ports:
  - number: 80
    name: http
    protocol: HTTP
  - number: 443
    name: https
    protocol: HTTPS
  resolution: DNS
  location: MESH_EXTERNAL
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: rewrite-port-for-styletransfer
spec:
  hosts:
  - api.styletransfer.example.com
  http:
  - match:
    - port: 80
    route:
    - destination:
        host: api.styletransfer.example.com
        port:
          number: 443
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: originate-tls-for-styletransfer
spec:
  host: api.styletransfer.example.com
  trafficPolicy:
    loadBalancer:
      simple: ROUND_ROBIN
    portLevelSettings:
    - port:
        number: 443
      tls:
        mode: SIMPLE
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata:
  name: default
spec:
  egress:
  - hosts:
    - ./*
    - istio-system/*
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: bank-strict
spec:
  mtls:
    mode: STRICT
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: addedvalues-callers
spec:
  selector:
    matchLabels:
      app: addedvalues
  action: ALLOW
  rules:
  - from:
    - source:
        principals:
        - cluster.local/ns/default/sa/productpage
---
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata:
  name: bank-login
spec:
  jwtRules:
  - issuer: https://login.bank.example.com
    jwksUri: https://login.bank.example.com/keys
`);

/** The first fixture object of `kind` (named `name` when given). */
export function fixture(kind: string, name?: string): any {
  const found = BOOKINFO.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (!found) throw new Error(`no fixture ${kind} ${name ?? ''}`);
  return found;
}
