import { ApiObject } from 'cdk8s';

// The objects rendered so far in the current synth session, or undefined outside one.
let session: WeakMap<ApiObject, unknown> | undefined;

/**
 * `apiObject.toJson()`, rendered once per synth session: a validation that reads an object as it
 * will be written (e.g. `VersionedService`'s Deployment range check) and the synth that writes it
 * share one rendering. Outside a session (a plain `App`, tests), it renders every time. The
 * object returned must not be modified.
 * @internal
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the rendered manifest, as `toJson()` types it
export function renderOnce(apiObject: ApiObject): any {
  if (!session) return apiObject.toJson();
  let json = session.get(apiObject);
  if (json === undefined) {
    json = apiObject.toJson();
    session.set(apiObject, json);
  }
  return json;
}

/**
 * Runs `fn` (validate, then render, nothing changing the constructs in between: cdk8s validations
 * have no side effects) as one synth session of `renderOnce`; the renderings are dropped at its end.
 * @internal
 */
export function renderSession<T>(fn: () => T): T {
  const outer = session;
  session = new WeakMap();
  try {
    return fn();
  } finally {
    session = outer;
  }
}
