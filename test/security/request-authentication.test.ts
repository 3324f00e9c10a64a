import { Duration, Testing } from 'cdk8s';
import { RequestAuthentication, WorkloadSelector } from '../../lib';

const ISSUER = 'https://login.yunqi.example';

describe('RequestAuthentication', () => {
  test('writes JWT rules with header locations and claim-to-header copies', () => {
    const chart = Testing.chart();
    const ra = new RequestAuthentication(chart, 'gateway-jwt', {
      metadata: { namespace: 'istio-system' },
      selector: WorkloadSelector.matchLabels({ istio: 'ingressgateway' }),
      jwtRules: [
        {
          issuer: ISSUER,
          jwksUri: `${ISSUER}/keys`,
          audiences: ['bank'],
          fromHeaders: [{ name: 'x-jwt', prefix: 'Bearer ' }],
          outputClaimToHeaders: [{ claim: 'sub', header: 'end-user' }],
          timeout: Duration.seconds(3),
        },
      ],
    });
    ra.addJwtRule({ issuer: 'https://partners.example', fromCookies: ['session'], forwardOriginalToken: true });
    expect(Testing.synth(chart)[0].spec).toEqual({
      selector: { matchLabels: { istio: 'ingressgateway' } },
      jwtRules: [
        {
          issuer: ISSUER,
          jwksUri: `${ISSUER}/keys`,
          audiences: ['bank'],
          fromHeaders: [{ name: 'x-jwt', prefix: 'Bearer ' }],
          outputClaimToHeaders: [{ claim: 'sub', header: 'end-user' }],
          timeout: '3s',
        },
        { issuer: 'https://partners.example', fromCookies: ['session'], forwardOriginalToken: true },
      ],
    });
    expect(ra.issuers).toEqual([ISSUER, 'https://partners.example']);
  });

  test('a rule without issuer and jwksUri throws and is not added', () => {
    const ra = new RequestAuthentication(Testing.chart(), 'jwt', { jwtRules: [{ issuer: ISSUER }] });
    expect(() => ra.addJwtRule({ audiences: ['bank'] })).toThrow(
      "RequestAuthentication 'jwt': spec.jwtRules[1]: needs an issuer or a jwksUri",
    );
    expect(ra.issuers).toEqual([ISSUER]);
  });

  test('schema rules apply at once: jwks and jwksUri exclude each other, header names are strict', () => {
    expect(
      () =>
        new RequestAuthentication(Testing.chart(), 'jwt', { jwtRules: [{ issuer: ISSUER, jwksUri: `${ISSUER}/k`, jwks: '{"keys":[]}' }] }),
    ).toThrow('only one of jwks or jwksUri can be set');
    expect(
      () =>
        new RequestAuthentication(Testing.chart(), 'jwt', {
          jwtRules: [{ issuer: ISSUER, outputClaimToHeaders: [{ claim: 'sub', header: 'end user' }] }],
        }),
    ).toThrow("spec.jwtRules[0].outputClaimToHeaders[0].header ('end user') must match");
    expect(
      () => new RequestAuthentication(Testing.chart(), 'jwt', { jwtRules: [{ issuer: ISSUER, timeout: Duration.millis(0.5) }] }),
    ).toThrow('spec.jwtRules[0].timeout');
  });
});
