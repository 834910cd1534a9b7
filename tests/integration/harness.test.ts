import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHarness, type RunningHarness } from '../support/harness';
import { projectRoot } from '../support/tempApp';

/** The browser harness serves only its own page on loopback; other origins and hosts are refused. */
let harness: RunningHarness;
beforeAll(async () => {
  harness = await runHarness(projectRoot, ['--fresh']);
});
afterAll(() => harness.stop());

function post(path: string, headers: Record<string, string>, body = '{}'): Promise<{ status: number; body: string }> {
  const url = new URL(path, harness.url);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('browser harness', () => {
  it('injects the api bridge into the page, after the CSP', async () => {
    const html = await (await fetch(harness.url)).text();
    expect(html).toContain('<script src="/__harness/api.js"></script>');
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('/__harness/api.js'));
  });

  it('answers same-origin calls with the core result', async () => {
    const r = await post('/__api/app.status', { 'content-type': 'application/json', origin: harness.url.slice(0, -1) });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ ok: true, value: { problems: [] } });
  });

  it('refuses calls from another origin', async () => {
    const r = await post('/__api/workItems.create', { 'content-type': 'application/json', origin: 'http://evil.example' }, JSON.stringify({ title: 'x', steps: [{ name: 'Engineering' }] }));
    expect(r.status).toBe(403);
    expect(JSON.parse(r.body).error.code).toBe('FORBIDDEN');
  });

  it('refuses a form post (no JSON content type), which a page elsewhere could send', async () => {
    const r = await post('/__api/workItems.create', { 'content-type': 'text/plain' });
    expect(r.status).toBe(403);
  });

  it('refuses a request for another host name (DNS rebinding)', async () => {
    const r = await post('/__api/app.status', { 'content-type': 'application/json', host: 'attacker.example:80' });
    expect(r.status).toBe(421);
  });

  it('answers malformed JSON as a VALIDATION error', async () => {
    const r = await post('/__api/app.status', { 'content-type': 'application/json' }, '{nope');
    expect(JSON.parse(r.body).error.code).toBe('VALIDATION');
  });

  it('does not serve files outside the renderer folder', async () => {
    const res = await fetch(new URL('/..%2f..%2fpackage.json', harness.url));
    expect(await res.text()).not.toContain('"name": "aviation-workflow"');
  });
});
