import { shopWithReviewsRules, toReviews } from '../fixtures/simulation/mesh';
import { RouteOutcome } from '../../lib';
import { expectRoute } from '../../lib/simulation/testing';

const sim = shopWithReviewsRules([
  { match: [{ uri: { prefix: '/old' } }], redirect: { uri: '/new' } },
  { match: [{ uri: { prefix: '/down' } }], directResponse: { status: 503 } },
  { route: [toReviews('v1', 90), toReviews('v2', 10)] },
]);
const req = (uri: string) => ({ host: 'reviews.shop', uri });

test('each check passes on the matching decision and chains', () => {
  expectRoute(sim, req('/'))
    .toSplit([
      { subset: 'v2', weight: 10 },
      { subset: 'v1', weight: 90 },
    ])
    .toReach({ subset: 'v1', weight: 90 })
    .toMatchRule('shop/reviews', 2)
    .toHaveOutcome(RouteOutcome.ROUTED);
  expectRoute(sim, req('/old/a')).toRedirect('http://reviews.shop/new');
  expectRoute(sim, req('/down')).toRespondWith(503);
});

test('each check fails with the expectation and the explained decision', () => {
  expect(() => expectRoute(sim, req('/')).toReach({ subset: 'v1' })).toThrow(
    /to reach any host subset v1, but:\nRequest: GET http:\/\/reviews\.shop\/[\s\S]*90% -> /,
  );
  expect(() =>
    expectRoute(sim, req('/')).toSplit([
      { subset: 'v1', weight: 50 },
      { subset: 'v2', weight: 50 },
    ]),
  ).toThrow('to be split over any host subset v1 50% + any host subset v2 50%');
  expect(() => expectRoute(sim, req('/')).toSplit([{ subset: 'v1' }])).toThrow('to be split over');
  expect(() => expectRoute(sim, req('/old')).toRedirect('http://elsewhere/')).toThrow(/redirect 301 to http:\/\/reviews\.shop\/new/);
  expect(() => expectRoute(sim, req('/down')).toRespondWith(500)).toThrow('to get a direct response 500');
  expect(() => expectRoute(sim, req('/')).toMatchRule('shop/reviews', 0)).toThrow(/skipped shop\/reviews http\[0\]/);
  expect(() => expectRoute(sim, req('/')).toReach({ host: 'ratings' })).toThrow('to reach ratings');
});
