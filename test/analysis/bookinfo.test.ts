import * as path from 'path';
import { MeshAnalysis } from '../../lib/analysis/engine';
import { loadFile } from '../../lib/cli/load';
import { summary } from '../fixtures/analysis/builders';

const SHOP = path.join(__dirname, '../fixtures/analysis/shop');
const VARIANTS = path.join(__dirname, '../fixtures/analysis/shop-variants');
const load = (...files: string[]) => files.flatMap((f) => loadFile(f));

describe('Bookinfo-style shop sample', () => {
  const platform = path.join(SHOP, 'platform.yaml');
  const gateway = path.join(SHOP, 'gateway.yaml');
  const routing = path.join(SHOP, 'virtual-service-user-v2-v3.yaml');

  test('platform, gateway, destination rules and user routing analyze clean', () => {
    const findings = MeshAnalysis.analyze(load(platform, gateway, path.join(SHOP, 'destination-rule-all.yaml'), routing));
    expect(findings).toEqual([]);
  });

  test('subsets that select no deployed version are reported, exactly those', () => {
    const findings = MeshAnalysis.analyze(load(platform, gateway, path.join(VARIANTS, 'destination-rule-all-extra.yaml'), routing));
    expect(summary(findings)).toEqual([
      'IST0173 DestinationRule/catalog spec.subsets[1]',
      'IST0173 DestinationRule/catalog spec.subsets[2]',
    ]);
    expect(findings[0].message).toContain("subset 'v2-db' selects no pods");
    expect(findings[0].file).toBe(path.join(VARIANTS, 'destination-rule-all-extra.yaml'));
  });

  test('without destination rules, every route to a subset is reported', () => {
    const findings = MeshAnalysis.analyze(load(path.join(SHOP, 'platform.yaml'), routing));
    expect(summary(findings)).toEqual([
      'IST0101 VirtualService/catalog spec.http[0].route[0].destination.subset',
      'IST0101 VirtualService/offers spec.http[0].route[0].destination.subset',
      'IST0101 VirtualService/offers spec.http[1].route[0].destination.subset',
      'IST0101 VirtualService/storefront spec.http[0].route[0].destination.subset',
    ]);
  });
});
