/**
 * The graph as a person sees it: the tutorial's HTML page opened in headless Chromium (Debian's
 * `chromium`, driven by playwright-core; `.ci/run` installs it, elsewhere set CHROMIUM_PATH),
 * and the Mermaid output parsed and rendered by Mermaid itself in the same browser.
 * The screenshot is written to `.artifacts/graph/` (ignored by git).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Browser, chromium, Page } from 'playwright-core';
import { MeshGraph } from '../../lib';
import { objectsIn } from './objects';

const ROOT = path.join(__dirname, '..', '..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = path.join(ROOT, '.artifacts', 'graph');

jest.setTimeout(60_000);

const TUTORIAL = objectsIn(path.join(ROOT, 'test', 'golden', 'yunqi-bank'));
const CALLS = [
  { from: 'productpage', to: 'details' },
  { from: 'productpage', to: 'addedvalues' },
  { from: 'addedvalues', to: 'styletransfer.example.com' },
];

let browser: Browser;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}: install Debian's 'chromium' package (apt-get install chromium) or set CHROMIUM_PATH`,
    );
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => {
    if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) problems.push(`network request: ${r.url()}`);
  });
});

afterAll(async () => {
  await browser?.close();
});

describe('the tutorial as an HTML page', () => {
  const graph = MeshGraph.fromManifests(TUTORIAL, {
    calls: CALLS,
    title: 'Yunqi bank',
    traces: [],
  });
  const toV3 = graph.edges.find((e) => e.to.endsWith('/v3'))!;
  const withTrace = MeshGraph.fromManifests(TUTORIAL, {
    calls: CALLS,
    title: 'Yunqi bank',
    traces: [{ label: 'end-user: yunqi42 → addedvalues', edges: [toV3.id], outcome: 'default/addedvalues http[0] → v3' }],
  });

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const file = path.join(ARTIFACTS, 'yunqi-bank.html');
    fs.writeFileSync(file, withTrace.toHtml());
    await page.goto(`file://${file}`);
  });

  test('draws every service and version, and the external host', async () => {
    const drawn = await page.$$eval('[data-node] text', (els) => els.map((el) => el.textContent?.trim() ?? ''));
    for (const name of ['yunqi-gateway', 'productpage', 'details', 'addedvalues', 'styletransfer.example.com']) {
      expect(drawn.some((t) => t.startsWith(name))).toBe(true);
    }
    for (const v of ['v1', 'v2', 'v3']) expect(drawn).toContainEqual(expect.stringContaining(`addedvalues-${v}`));
    const boxes = await page.$$eval('[data-node] rect', (els) => els.map((el) => (el as any).getBBox().width));
    expect(boxes.every((w) => w > 20)).toBe(true);
  });

  test('edges carry the tutorial labels and lead to v2 and v3', async () => {
    const edges = await page.$$eval('[data-edge]', (els) =>
      els.map((el) => ({ id: (el as any).dataset.edge, text: el.textContent ?? '' })),
    );
    expect(edges).toHaveLength(graph.edges.length);
    const byId = new Map(graph.edges.map((e) => [e.id, e]));
    const yunqi = edges.filter((e) => e.text.includes('end-user ^= yunqi'));
    expect(yunqi.map((e) => byId.get(e.id!)?.to)).toEqual(['version/addedvalues.default.svc.cluster.local/v3']);
    expect(edges.some((e) => byId.get(e.id!)?.to.endsWith('/v2'))).toBe(true);
  });

  test('hovering an edge shows its VirtualService, rule and full match', async () => {
    await page.hover(`[data-edge="${toV3.id}"] text`);
    const tip = page.locator('#tooltip');
    await expect(tip.isVisible()).resolves.toBe(true);
    const text = await tip.textContent();
    expect(text).toContain('default/addedvalues http[0]');
    expect(text).toContain('"prefix":"yunqi"');
  });

  test('choosing a request highlights its path and dims the rest', async () => {
    await page.selectOption('#trace', '0');
    const highlighted = await page.$$eval('[data-edge].hl', (els) => els.map((el) => (el as any).dataset.edge));
    expect(highlighted).toEqual([toV3.id]);
    expect(await page.locator('#outcome').textContent()).toBe('default/addedvalues http[0] → v3');
    expect(await page.$$eval('[data-edge].dim', (els) => els.length)).toBe(graph.edges.length - 1);
    await page.screenshot({ path: path.join(ARTIFACTS, 'yunqi-bank.png'), fullPage: true });
    expect(fs.statSync(path.join(ARTIFACTS, 'yunqi-bank.png')).size).toBeGreaterThan(10_000);
  });

  test('the page logs no errors and loads nothing from the network', () => {
    expect(problems).toEqual([]);
  });
});

describe('Mermaid output, parsed and rendered by Mermaid', () => {
  const mermaidScript = require.resolve('mermaid/dist/mermaid.min.js');

  beforeAll(async () => {
    await page.setContent('<!doctype html><html><body><div id="out"></div></body></html>');
    await page.addScriptTag({ path: mermaidScript });
    await page.evaluate(() => (globalThis as any).mermaid.initialize({ startOnLoad: false }));
  });

  const cases: [string, any[]][] = [
    ['the tutorial', TUTORIAL],
    ['canary step 1', objectsIn(path.join(ROOT, 'test', 'golden', 'yunqi-bank-canary', 'step-1-v1-v2-50-50'))],
    ['every route feature', objectsIn(path.join(ROOT, 'test', 'fixtures', 'graph'))],
  ];
  test.each(cases)('%s', async (_name, objects) => {
    const text = MeshGraph.fromManifests(objects, { calls: CALLS }).toMermaid();
    const svg: string = await page.evaluate(async (source) => {
      const m = (globalThis as any).mermaid;
      await m.parse(source);
      return (await m.render(`g${Math.floor(Math.random() * 1e9)}`, source)).svg;
    }, text);
    expect(svg).toContain('<svg');
    const labels = [...text.matchAll(/\|"([^"]+)"\|/g)].map((x) => x[1].replace(/#gt;/g, '>'));
    for (const label of labels) expect(svg).toContain(label.split(' · ')[0].replace(/>/g, '&gt;'));
  });
});
