import { Finding } from './finding';

/**
 * `<field>: <message>`, or the message alone when it already starts with the field
 * (the per-object checks write messages that way). @internal
 */
export function fieldAndMessage(f: Finding): string {
  return f.field && !f.message.startsWith(f.field) ? `${f.field}: ${f.message}` : f.message;
}
