import { arr, isObject } from '../kinds/common';

/**
 * Short, readable forms of VirtualService matches for edge labels: `end-user ^= yunqi`,
 * `uri = /login or uri ^= /static`. `=` is exact, `^=` prefix, `~` regex; `!` negates.
 * @internal
 */

const MAX_LABEL = 80;

/** The label of a rule's `match` list: blocks joined by `or`, conditions by `and`; '' for none. @internal */
export function matchLabel(matches: unknown): string {
  const blocks = arr(matches)
    .filter(isObject)
    .map((m) => conditions(m).join(' and '));
  if (blocks.length === 0 || blocks.some((b) => b === '')) return '';
  const label = blocks.length > 3 ? `${blocks.slice(0, 2).join(' or ')} or ${blocks.length - 2} more` : blocks.join(' or ');
  return label.length > MAX_LABEL ? `${label.slice(0, MAX_LABEL - 1)}…` : label;
}

function conditions(m: { [key: string]: any }): string[] {
  const out: string[] = [];
  for (const field of ['uri', 'scheme', 'method', 'authority']) {
    const s = stringMatch(m[field]);
    if (s) out.push(`${field} ${s}${field === 'uri' && m.ignoreUriCase === true ? ' (any case)' : ''}`);
  }
  for (const [name, value] of entries(m.headers)) out.push(presenceOr(name, value, false));
  for (const [name, value] of entries(m.withoutHeaders)) out.push(presenceOr(name, value, true));
  for (const [name, value] of entries(m.queryParams)) out.push(presenceOr(`?${name}`, value, false));
  if (typeof m.port === 'number') out.push(`port ${m.port}`);
  const sni = arr(m.sniHosts).filter((h) => typeof h === 'string');
  if (sni.length > 0) out.push(`sni = ${sni.join(', ')}`);
  const subnets = arr(m.destinationSubnets).filter((h) => typeof h === 'string');
  if (subnets.length > 0) out.push(`to ${subnets.join(', ')}`);
  const labels = entries(m.sourceLabels).map(([k, v]) => `${k}=${String(v)}`);
  if (labels.length > 0) out.push(`from ${labels.join(',')}`);
  if (typeof m.sourceNamespace === 'string') out.push(`from ns ${m.sourceNamespace}`);
  const gateways = arr(m.gateways).filter((g) => typeof g === 'string');
  if (gateways.length > 0) out.push(`via ${gateways.join(', ')}`);
  if (typeof m.statPrefix === 'string' && out.length === 0) out.push(`stat ${m.statPrefix}`);
  return out;
}

function presenceOr(name: string, value: unknown, negated: boolean): string {
  const s = stringMatch(value);
  if (!s) return negated ? `no ${name}` : `${name} present`;
  return `${name} ${negated ? '!' : ''}${s}`;
}

function stringMatch(value: unknown): string | undefined {
  if (!isObject(value)) return undefined;
  if (typeof value.exact === 'string') return `= ${value.exact}`;
  if (typeof value.prefix === 'string') return `^= ${value.prefix}`;
  if (typeof value.regex === 'string') return `~ ${value.regex}`;
  return undefined;
}

function entries(value: unknown): [string, unknown][] {
  return isObject(value) ? Object.entries(value) : [];
}
