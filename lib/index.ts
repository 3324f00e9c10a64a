export * from './istio/api-version';
export * from './istio/errors';
export * from './istio/istio-resource';
export * from './istio/route-destination';
export * from './istio/gateway';
