/**
 * The refusals of valid Istio input that the typed API makes on purpose, each with its reason in
 * docs/stricter-than-istio.md. The property tests accept a refusal of valid input only when its
 * message matches one of these.
 */
export const DOCUMENTED_STRICTER_RULES: readonly RegExp[] = [
  // A second route without match is unreachable (Istio: accepted, IST0131 warning).
  /is a second route without match/,
  // A ServiceEntry without ports (Istio: accepted).
  /a ServiceEntry needs at least one port \(stricter than Istio\)/,
  // An empty match block (Istio: matches everything); omit match for a catch-all.
  /must set at least one condition; omit match entirely for a catch-all route/,
  // UserPrefixRoute: a prefix or user routed twice (Istio: the second route is unreachable, IST0131).
  /is already routed by (prefixes|users)\[\d+\]/,
  // mirrorPercentage without mirror (Istio: ignored).
  /spec\.http\[\d+\]\.mirrorPercentage \(.*\) needs mirror/,
  // Empty strings Istio reads as unset: route name, redirect uri/authority, rewrite authority.
  /spec\.http\[\d+\]\.(name|redirect\.uri|redirect\.authority|rewrite\.authority) \(''\) must not be empty/,
  // Query-parameter names no request can carry (Istio: any name).
  /\.queryParams\..* must be a non-empty parameter name without "&", "=", "#" or spaces/,
  // A workloadSelector that selects every workload, or with labels no pod can carry (Istio: refuses only '' keys and '*', warns when empty).
  /spec\.workloadSelector\.(matchLabels|labels)(\..*)? \(.*\) (must have at least one label|is not a valid label (key|value))/,
];

export function documentedStricterRule(message: string): boolean {
  return DOCUMENTED_STRICTER_RULES.some((r) => r.test(message));
}
