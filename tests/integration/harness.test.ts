import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHarness, type RunningHarness } from '../support/harness';
import { projectRoot } from '../support/tempApp';

/** The browser harness serves only its own page on loopback; other origins and hosts are refused. */
let harness: RunningHarness;
let port = 0;
let host = '';
beforeAll(async () => {
  harness = await runHarness(projectRoot, ['--fresh']);
  port = Number(new URL(harness.url).port);
  host = `127.0.0.1:${port}`;
});
afterAll(() => harness.stop());

const harnessScript = join(projectRoot, 'out', 'main', 'harness.js');
const JSON_TYPE = { 'content-type': 'application/json' };

function post(path: string, headers: Record<string, string>, body: string | Buffer = '{}'): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  const url = new URL(path, harness.url);
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(url, { method: 'POST', headers }, (res) => {
      answered = true;
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
    });
    // A server that answers before reading the whole body may close while the body is still being sent.
    req.on('error', (error) => !answered && reject(error));
    req.end(body);
  });
}

function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  const url = new URL(path, harness.url);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', headers }, (res) => {
      const type = String(res.headers['content-type']);
      let text = '';
      res.on('data', (c: Buffer) => {
        text += c.toString();
        // An event stream never ends: take what came first.
        if (type.startsWith('text/event-stream')) {
          resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers });
          req.destroy();
        }
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Sends raw bytes and resolves with what came back before the server closed (or after `waitMs`). */
function raw(bytes: string | Buffer, waitMs = 2_000): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    const done = () => {
      socket.destroy();
      resolve(text);
    };
    const timer = setTimeout(done, waitMs);
    socket.on('data', (c) => (text += c.toString('latin1')));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(text);
    });
    socket.on('error', () => undefined);
    socket.write(bytes);
  });
}

const statusOf = (response: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1] ?? 0);

async function stillAnswers(): Promise<void> {
  const status = await harness.call('app.status');
  expect(status.ok, 'the harness still answers app.status').toBe(true);
}

describe('browser harness', () => {
  it('injects the api bridge into the page, after the CSP', async () => {
    const html = await (await fetch(harness.url)).text();
    expect(html).toContain('<script src="/__harness/api.js"></script>');
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('/__harness/api.js'));
  });

  it('answers same-origin calls with the core result', async () => {
    const r = await post('/__api/app.status', { ...JSON_TYPE, origin: harness.url.slice(0, -1) });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ ok: true, value: { problems: [] } });
  });

  it('refuses calls from another origin', async () => {
    const r = await post('/__api/workItems.create', { ...JSON_TYPE, origin: 'http://evil.example' }, JSON.stringify({ title: 'x', steps: [{ name: 'Engineering' }] }));
    expect(r.status).toBe(403);
    expect(JSON.parse(r.body).error.code).toBe('FORBIDDEN');
  });

  it('refuses calls a browser marks as coming from another site (Sec-Fetch-Site), or from a file:// or sandboxed page (Origin: null)', async () => {
    for (const headers of [{ 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site' }, { origin: 'null' }] as Record<string, string>[]) {
      const r = await post('/__api/app.status', { ...JSON_TYPE, ...headers });
      expect(r.status, JSON.stringify(headers)).toBe(403);
    }
    expect((await post('/__api/app.status', { ...JSON_TYPE, 'sec-fetch-site': 'same-origin' })).status).toBe(200);
  });

  it('refuses a form post (no JSON content type), which a page elsewhere could send: 415 in the API error shape', async () => {
    const r = await post('/__api/workItems.create', { 'content-type': 'text/plain' });
    expect(r.status).toBe(415);
    expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });

  it('accepts exactly application/json (optionally charset=utf-8) and refuses look-alikes with 415', async () => {
    for (const type of ['application/json', 'Application/JSON', 'application/json; charset=utf-8', 'application/json;charset="UTF-8"']) {
      expect((await post('/__api/app.status', { 'content-type': type })).status, type).toBe(200);
    }
    for (const type of ['application/jsonp', 'application/json-patch+json', 'application/json; charset=latin1', 'application/json; boundary=x', 'text/json', 'application/json, text/plain', '']) {
      const r = await post('/__api/app.status', { 'content-type': type });
      expect(r.status, type).toBe(415);
      expect(JSON.parse(r.body).error.code, type).toBe('VALIDATION');
    }
    expect((await post('/__api/app.status', {})).status, 'no content type').toBe(415);
  });

  it('refuses a request for another host name (DNS rebinding), or for its own address at another port', async () => {
    expect((await post('/__api/app.status', { ...JSON_TYPE, host: 'attacker.example:80' })).status).toBe(421);
    expect((await post('/__api/app.status', { ...JSON_TYPE, host: `127.0.0.1:${port + 1}` })).status).toBe(421);
    expect((await get('/', { host: 'attacker.example' })).status).toBe(421);
  });

  it('answers malformed JSON as a VALIDATION error', async () => {
    const r = await post('/__api/app.status', JSON_TYPE, '{nope');
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body).error.code).toBe('VALIDATION');
  });

  it('answers a body that is not UTF-8 as a VALIDATION error, not as mangled text', async () => {
    const r = await post('/__api/app.status', JSON_TYPE, Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]));
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body).error.code).toBe('VALIDATION');
  });

  it('does not serve files outside the renderer folder', async () => {
    // Sent as raw bytes: an HTTP client's URL parser would resolve the dot segments before sending.
    for (const path of ['/../package.json', '/assets/../../package.json', '/..%2f..%2fpackage.json', '/assets/..%2f..%2f..%2fpackage.json', '/%2e%2e/%2e%2e/package.json', '/..%5c..%5cpackage.json', '/assets/%2e%2e%2f%2e%2e%2f%2e%2e%2fpackage.json']) {
      const response = await raw(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
      expect(response, path).not.toContain('"name": "aviation-workflow"');
      expect(statusOf(response), path).toBe(403);
    }
  });

  it('serves the built files with their types', async () => {
    const html = await get('/');
    const script = /src="\.?(\/assets\/[^"]+\.js)"/.exec(html.body)?.[1];
    expect(script, 'a module script in the page').toBeTruthy();
    const js = await get(script!);
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['x-content-type-options']).toBe('nosniff');
  });
});

describe('browser harness: malformed requests get clear answers and never stop it', () => {
  it('answers a malformed percent-escape in the URL with 400 (page, asset and API paths)', async () => {
    expect((await get('/%E0%A4%A')).status).toBe(400);
    expect((await get('/assets/%ff')).status).toBe(400);
    const api = await post('/__api/%E0%A4%A', JSON_TYPE);
    expect(api.status).toBe(400);
    expect(JSON.parse(api.body)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    await stillAnswers();
  });

  it('answers odd request targets and methods without crashing', async () => {
    const targets = ['//[', '*', 'http://127.0.0.1/', '/%00', '/a%00b', '/%', '/%%30', '/__api/', '/__api/%', '/__api//..', `/${'a'.repeat(8000)}`, '/?%E0%A4%A', '/#%ff', '/\u00e9'];
    for (const target of targets) {
      const response = await raw(`GET ${target} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
      expect(statusOf(response), target).toBeGreaterThanOrEqual(200);
      expect(statusOf(response), target).toBeLessThan(500);
    }
    for (const method of ['PUT', 'DELETE', 'OPTIONS', 'PATCH', 'TRACE', 'FOO']) {
      const response = await raw(`${method} / HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
      expect([400, 405], method).toContain(statusOf(response));
    }
    expect(statusOf(await raw(`GET /__api/app.status HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`))).toBe(405);
    await stillAnswers();
  });

  it('survives fuzzed URLs and headers', async () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const alphabet = ['%', '%2', '%e0', '%A4', '%ff', '%2e', '%2f', '%5c', '%00', '..', '/', '\\', '?', '#', 'a', '__api', '__events', 'assets', ':', ';', '=', '&', '~', '\u00ff'];
    const pick = () => alphabet[Math.floor(random() * alphabet.length)]!;
    for (let i = 0; i < 150; i++) {
      const path = `/${Array.from({ length: 1 + Math.floor(random() * 8) }, pick).join('')}`;
      const prefix = random() < 0.3 ? '/__api/' : random() < 0.5 ? '/__events?session=' : '';
      const method = random() < 0.5 ? 'GET' : 'POST';
      const headers = [
        `Host: ${random() < 0.9 ? host : pick()}`,
        random() < 0.5 ? `Content-Type: ${random() < 0.5 ? 'application/json' : pick()}` : '',
        random() < 0.3 ? `Origin: ${random() < 0.5 ? `http://${host}` : pick()}` : '',
        random() < 0.3 ? `X-AW-Session: ${pick()}${pick()}` : '',
        random() < 0.2 ? `Content-Length: ${Math.floor(random() * 5)}` : 'Content-Length: 2',
        'Connection: close',
      ].filter(Boolean);
      const response = await raw(`${method} ${prefix}${path} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n{}`, 1_000);
      const status = statusOf(response);
      // Anything but a crash: the parser may reject the bytes (400), the route may refuse them, an event stream may open.
      expect(status === 0 ? response : status, `${method} ${prefix}${path}`).not.toBe(500);
    }
    await stillAnswers();
  });

  it('refuses headers over 16 KB (431) and stays up', async () => {
    const response = await raw(`GET / HTTP/1.1\r\nHost: ${host}\r\nX-Big: ${'a'.repeat(20_000)}\r\nConnection: close\r\n\r\n`);
    expect(statusOf(response)).toBe(431);
    await stillAnswers();
  });

  it('answers a body over 1 MB with 413 in the API error shape, declared or chunked', async () => {
    const big = Buffer.alloc(1_200_000, 'a');
    const declared = await post('/__api/app.status', JSON_TYPE, big);
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(JSON.parse(declared.body).error.message).not.toMatch(/JSON/);
    const chunked = await post('/__api/app.status', { ...JSON_TYPE, 'transfer-encoding': 'chunked' }, big);
    expect(chunked.status).toBe(413);
    expect(JSON.parse(chunked.body).error.code).toBe('VALIDATION');
    // Expect: 100-continue with a declared size over the limit: refused without asking for the body.
    const response = await raw(`POST /__api/app.status HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 5000000\r\nExpect: 100-continue\r\n\r\n`);
    expect(statusOf(response)).toBe(413);
    await stillAnswers();
  });

  it('survives a client that disconnects mid-body, and one that sends its body slowly while others are served', async () => {
    for (let i = 0; i < 20; i++) {
      const socket = connect(port, '127.0.0.1');
      socket.on('error', () => undefined);
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      socket.write(`POST /__api/app.status HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"a":`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      socket.destroy();
    }
    const slow = connect(port, '127.0.0.1');
    slow.on('error', () => undefined);
    slow.write(`POST /__api/app.status HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n`);
    let slowAnswer = '';
    slow.on('data', (c) => (slowAnswer += c.toString()));
    await stillAnswers(); // served while the slow body is still missing
    slow.write('{');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await stillAnswers();
    slow.end('}');
    await new Promise<void>((resolve) => slow.on('close', () => resolve()));
    expect(statusOf(slowAnswer)).toBe(200);
  });

  it('refuses a session header that is not a session name', async () => {
    const r = await post('/__api/app.status', { ...JSON_TYPE, 'x-aw-session': 'a b;c' });
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body).error.code).toBe('VALIDATION');
  });
});

describe('browser harness: the change stream', () => {
  it("requires the page's session", async () => {
    expect((await get('/__events')).status).toBe(403);
    expect((await get('/__events?session=')).status).toBe(403);
    expect((await get('/__events?session=a%20b')).status).toBe(403);
    const ok = await get('/__events?session=0b7c1b1e-3f7a-4c9e-9a55-1f1d2e3c4b5a');
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toBe('text/event-stream');
  });

  it('makes the same origin and host checks as the API', async () => {
    const session = '?session=abc';
    expect((await get(`/__events${session}`, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await get(`/__events${session}`, { origin: 'null' })).status).toBe(403);
    expect((await get(`/__events${session}`, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await get(`/__events${session}`, { host: 'attacker.example:80' })).status).toBe(421);
    expect((await get(`/__events${session}`, { origin: harness.url.slice(0, -1), 'sec-fetch-site': 'same-origin' })).status).toBe(200);
  });

  it('the page asks for it with its session', async () => {
    const bridge = await get('/__harness/api.js');
    expect(bridge.body).toContain("new EventSource('/__events?session=' + encodeURIComponent(session))");
  });

  it('delivers changes, holds many listeners at once with a limit, and forgets those that leave', async () => {
    const open = (): Promise<{ socket: Socket; first: string }> =>
      new Promise((resolve) => {
        const socket = connect(port, '127.0.0.1');
        socket.on('error', () => undefined);
        socket.once('data', (c) => resolve({ socket, first: c.toString() }));
        socket.write(`GET /__events?session=s HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
      });
    const clients = await Promise.all(Array.from({ length: 130 }, open));
    const accepted = clients.filter((c) => statusOf(c.first) === 200);
    const refused = clients.filter((c) => statusOf(c.first) === 503);
    expect(accepted.length).toBe(100);
    expect(refused.length).toBe(30);
    // A change reaches a listener.
    const heard = new Promise<string>((resolve) => {
      let text = '';
      accepted[0]!.socket.on('data', (c) => {
        text += c.toString();
        if (text.includes('data: ')) resolve(text);
      });
    });
    await harness.call('departments.create', { name: 'Stream test', code: 'STR' });
    expect(await heard).toMatch(/data: /);
    for (const c of clients) c.socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await get('/__events?session=again')).status, 'room again once they left').toBe(200);
    await stillAnswers();
  });
});

describe('browser harness: command line', () => {
  it('--help lists the options and exits 0', () => {
    const run = spawnSync(process.execPath, [harnessScript, '--help'], { encoding: 'utf8', timeout: 20_000 });
    expect(run.status).toBe(0);
    for (const option of ['--port', '--data-dir', '--fresh', '--restore-latest-backup', '--help']) expect(run.stdout).toContain(option);
    expect(run.stderr).toBe('');
  });

  it('a wrong option or port is one line and exit code 2, no stack', () => {
    for (const args of [['--bogus'], ['--port', 'abc'], ['--port', '70000'], ['--data-dir']]) {
      const run = spawnSync(process.execPath, [harnessScript, ...args], { encoding: 'utf8', timeout: 20_000 });
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(run.stderr, args.join(' ')).not.toMatch(/\n\s+at /);
    }
  });

  it('a port in use is one line and exit code 1, and leaves no new data folder behind', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'aw-port-'));
    try {
      const wanted = join(scratch, 'not-created');
      const named = spawnSync(process.execPath, [harnessScript, '--port', String(port), '--data-dir', wanted], { encoding: 'utf8', timeout: 20_000 });
      expect(named.status).toBe(1);
      expect(named.stderr.trim().split('\n')).toHaveLength(1);
      expect(named.stderr).toMatch(/in use/);
      expect(named.stderr).not.toMatch(/\n\s+at /);
      expect(existsSync(wanted)).toBe(false);
      // --fresh makes its folder under the temporary folder: none is left there either.
      const fresh = spawnSync(process.execPath, [harnessScript, '--port', String(port), '--fresh'], { encoding: 'utf8', timeout: 20_000, env: { ...process.env, TMPDIR: scratch } });
      expect(fresh.status).toBe(1);
      expect(fresh.stderr).toMatch(/in use/);
      expect(readdirSync(scratch)).toEqual([]);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
