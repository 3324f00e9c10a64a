import * as fs from 'fs';
import * as path from 'path';
import { generateApiReport } from '../scripts/api-report';
import { expectGenerated } from './support/generated-file';

const API_MD = path.join(__dirname, '..', 'API.md');

// Loading the program behind lib/index.ts takes a second or two; leave room on a busy machine.
jest.setTimeout(60_000);

let report: string;
beforeAll(() => {
  report = generateApiReport();
});

test('API.md matches the public API exported from lib/index.ts', () => {
  const expected = report;
  const actual = fs.existsSync(API_MD) ? fs.readFileSync(API_MD, 'utf8') : '';
  expectGenerated('API.md', actual, expected, 'The public API or its docs changed: run `npm run api` and commit API.md.');
});

test('the report lists exports by kind, with signatures and doc summaries', () => {
  // A construct: header with heritage, constructor, a documented method.
  expect(report).toMatch(/^### `Gateway`\n\n`class Gateway extends IstioResource implements IGatewayRef`\n/m);
  expect(report).toContain('- `constructor(scope: Construct, id: string, props?: GatewayProps)`');
  // An enum lists its members with their wire values.
  expect(report).toMatch(/`enum IstioApiVersion`[\s\S]*- `V1 = 'v1'` — /);
  // Internal members stay out of the public listing, and lib/index.ts exports no internal helpers.
  expect(report).not.toContain('_toSpec');
  expect(report).not.toContain('## Internal exports');
  expect(report).toContain('### `IstioErrors`');
  for (const helper of ['describe', 'show', 'fail', 'pathOf', '_checkExportTo', '_checkSelector', '_formatIstioDuration']) {
    expect(report).not.toContain(`### \`${helper}\``);
  }
});
