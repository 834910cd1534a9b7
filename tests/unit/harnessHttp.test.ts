import { describe, expect, it } from 'vitest';
import { decodePath, isForeignRequest, isJsonContentType, isOwnHost, isSessionName, splitTarget } from '../../src/harness/http';

describe('harness: isJsonContentType (exactly application/json, optional charset=utf-8)', () => {
  it.each([
    'application/json',
    'APPLICATION/JSON',
    'application/json; charset=utf-8',
    'application/json;charset=UTF-8',
    'application/json ; charset=utf-8',
    'application/json; charset="utf-8"',
    ' application/json\t',
  ])('accepts %j', (type) => expect(isJsonContentType(type)).toBe(true));

  it.each([
    'application/jsonp',
    'application/json-patch+json',
    'application/merge-patch+json',
    'application/json5',
    'application/jsonx; charset=utf-8',
    'text/json',
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/json; charset=latin1',
    'application/json; charset=utf-16',
    'application/json; charset=utf-8; boundary=x',
    'application/json; boundary=x',
    'application/json; charset = utf-8',
    'application/json;',
    'application/json, text/plain',
    'application/json\u0000',
    'application /json',
    '',
  ])('refuses %j', (type) => expect(isJsonContentType(type)).toBe(false));

  it('refuses a missing header and a repeated one', () => {
    expect(isJsonContentType(undefined)).toBe(false);
    expect(isJsonContentType(['application/json', 'application/json'])).toBe(false);
  });
});

describe('harness: request targets', () => {
  it('splits origin-form targets into path and query, dropping a fragment', () => {
    expect(splitTarget('/')).toEqual({ path: '/', query: '' });
    expect(splitTarget('/__events?session=a&x=1')).toEqual({ path: '/__events', query: 'session=a&x=1' });
    expect(splitTarget('/a#b?c')).toEqual({ path: '/a', query: '' });
    expect(splitTarget('/a?b#c')).toEqual({ path: '/a', query: 'b' });
  });

  it('refuses anything but origin-form', () => {
    for (const target of [undefined, '', '*', 'http://127.0.0.1/', 'example.com:443', '//']) {
      expect(splitTarget(target), String(target)).toEqual(target === '//' ? { path: '//', query: '' } : null);
    }
  });

  it('decodes paths, and refuses malformed escapes and NUL instead of throwing', () => {
    expect(decodePath('/app.status')).toBe('/app.status');
    expect(decodePath('workItems.list')).toBe('workItems.list');
    expect(decodePath('%E2%82%AC')).toBe('€');
    for (const bad of ['%E0%A4%A', '%ff', '%', '%%30', 'a%00b', '%C0%AF']) expect(decodePath(bad), bad).toBeNull();
  });
});

describe('harness: who may call', () => {
  it('accepts only its own host name and port', () => {
    expect(isOwnHost('127.0.0.1:5180', 5180)).toBe(true);
    expect(isOwnHost('localhost:5180', 5180)).toBe(true);
    for (const host of [undefined, '', '127.0.0.1', '127.0.0.1:5181', 'attacker.example:5180', '127.0.0.1.attacker.example:5180', 'LOCALHOST:5180x', '[::1]:5180']) {
      expect(isOwnHost(host, 5180), String(host)).toBe(false);
    }
  });

  it('treats another origin, Origin: null and a cross-site fetch as foreign', () => {
    const host = '127.0.0.1:5180';
    expect(isForeignRequest({ host })).toBe(false);
    expect(isForeignRequest({ host, origin: 'http://127.0.0.1:5180' })).toBe(false);
    expect(isForeignRequest({ host, 'sec-fetch-site': 'same-origin' })).toBe(false);
    expect(isForeignRequest({ host, 'sec-fetch-site': 'none' })).toBe(false);
    expect(isForeignRequest({ host, origin: 'http://localhost:5180' })).toBe(true);
    expect(isForeignRequest({ host, origin: 'null' })).toBe(true);
    expect(isForeignRequest({ host, origin: 'http://evil.example' })).toBe(true);
    expect(isForeignRequest({ host, 'sec-fetch-site': 'same-site' })).toBe(true);
    expect(isForeignRequest({ host, 'sec-fetch-site': 'cross-site' })).toBe(true);
  });

  it('session names are what the page and the tests use, nothing more', () => {
    for (const ok of ['browser', 'node', 'crash', '0b7c1b1e-3f7a-4c9e-9a55-1f1d2e3c4b5a', 'a_b', 'x'.repeat(100)]) expect(isSessionName(ok), ok).toBe(true);
    for (const bad of [null, undefined, '', 'a b', 'a:b', 'ü', 'x'.repeat(101), ['a'], 'a\nb']) expect(isSessionName(bad), String(bad)).toBe(false);
  });
});
