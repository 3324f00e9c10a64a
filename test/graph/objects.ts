import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';

/** Every object of every .yaml file in `dirs`, files in name order. */
export function objectsIn(...dirs: string[]): any[] {
  return dirs.flatMap((dir) =>
    fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.yaml'))
      .sort()
      .flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map((d) => d.toJSON())),
  );
}

/** A Service `ratings` whose VirtualService's catch-all comes first, so its `/v2` rule is never reached. */
export function shadowedRatings(): any[] {
  return [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'ratings' },
      spec: { selector: { app: 'ratings' }, ports: [{ name: 'http', port: 80 }] },
    },
    {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'ratings' },
      spec: {
        hosts: ['ratings'],
        http: [
          { route: [{ destination: { host: 'ratings' } }] },
          { match: [{ uri: { prefix: '/v2' } }], route: [{ destination: { host: 'ratings' } }] },
        ],
      },
    },
  ];
}
