import { Construct } from 'constructs';
import { describe, fail } from '../kinds/errors';
import { PatternMetadataOptions } from './pattern-options';
import { externalHostName, patternMetadata } from './pattern-support';
import { ServiceEntry, ServiceEntryLocation, ServiceEntryResolution, ServicePortProtocol } from '../istio/service-entry';

/** Properties of an {@link ExternalService}. */
export interface ExternalServiceProps extends PatternMetadataOptions {
  /** DNS name of the external API (`styletransfer.example.com`). */
  readonly host: string;

  /**
   * Name of the ServiceEntry.
   * @default - the host in lower case with dots replaced by dashes
   */
  readonly name?: string;

  /**
   * Port for plain HTTP, or 0 for none.
   * @default 80
   */
  readonly httpPort?: number;

  /**
   * Port for HTTPS (TLS originated by the application), or 0 for none.
   * @default 443
   */
  readonly httpsPort?: number;

  /**
   * How the proxy finds the API's endpoints: DNS (the host's own addresses), NONE (the address the
   * caller connected to), STATIC (the `endpoints`), DNS_ROUND_ROBIN or DYNAMIC_DNS.
   * @default ServiceEntryResolution.DNS (where Istio's own default is NONE)
   */
  readonly resolution?: ServiceEntryResolution;

  /**
   * Endpoint addresses: IP addresses with STATIC resolution, host names or IPs with DNS.
   * @default - none: the host itself is resolved
   */
  readonly endpoints?: string[];
}

/**
 * Lets workloads in the mesh call an API outside it: a ServiceEntry for one DNS host,
 * MESH_EXTERNAL, resolved by DNS unless told otherwise, with HTTP and HTTPS ports. Unlike a bare
 * ServiceEntry (which leaves both to Istio's defaults), it always writes its location and resolution.
 */
export class ExternalService extends Construct {
  /** The ServiceEntry. */
  public readonly serviceEntry: ServiceEntry;

  public constructor(scope: Construct, id: string, props: ExternalServiceProps) {
    super(scope, id);
    const name = externalHostName('ExternalService', props.host, props.name);
    const self = describe('ExternalService', name);
    const httpPort = props.httpPort ?? 80;
    const httpsPort = props.httpsPort ?? 443;
    const ports = [
      ...(httpPort !== 0 ? [{ number: httpPort, name: 'http', protocol: ServicePortProtocol.HTTP }] : []),
      ...(httpsPort !== 0 ? [{ number: httpsPort, name: 'https', protocol: ServicePortProtocol.HTTPS }] : []),
    ];
    if (ports.length === 0) fail(self, 'httpPort/httpsPort', 0, 'leave no port open', 'keep at least one of them');
    this.serviceEntry = new ServiceEntry(this, 'Resource', {
      metadata: patternMetadata(name, props),
      hosts: [props.host],
      ports,
      location: ServiceEntryLocation.MESH_EXTERNAL,
      resolution: props.resolution ?? ServiceEntryResolution.DNS,
      endpoints: props.endpoints?.map((address) => ({ address })),
    });
  }
}
