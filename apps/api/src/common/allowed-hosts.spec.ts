import { absoluteFormToPath, allowedHostMatcher } from './allowed-hosts.js';
import type { IncomingMessage } from 'node:http';

describe('allowedHostMatcher', () => {
  it('defaults to the loopback names on any port, plus the PUBLIC_URL host', () => {
    const allowed = allowedHostMatcher(undefined, 'https://Dive.Example:8443/app');
    for (const host of ['localhost', 'localhost:3000', '127.0.0.1:1', '[::1]:3000', 'dive.example', 'DIVE.example:443']) {
      expect({ host, allowed: allowed(host) }).toEqual({ host, allowed: true });
    }
    for (const host of ['', 'evil.example', 'localhost.evil.example', 'x.dive.example', '127.0.0.2', 'localhost:', 'a b', 'local_host']) {
      expect({ host, allowed: allowed(host) }).toEqual({ host, allowed: false });
    }
  });

  it('takes exact names, name:port, a leading-dot domain and *', () => {
    const allowed = allowedHostMatcher('api.example.com, admin.example.com:8443, .divers.example');
    expect(['api.example.com:1', 'admin.example.com:8443', 'divers.example', 'a.b.divers.example:9'].every(allowed)).toBe(true);
    expect(['admin.example.com', 'admin.example.com:8444', 'xdivers.example', 'localhost'].some(allowed)).toBe(false);
    const any = allowedHostMatcher('*');
    expect(any('whatever.example:1')).toBe(true);
    expect(any('not a host')).toBe(false);
  });
});

describe('absoluteFormToPath', () => {
  it('keeps origin-form URLs and reduces absolute-form ones to their path and query', () => {
    expect(absoluteFormToPath({ url: '/api/logbooks/?page=2' } as IncomingMessage)).toBe('/api/logbooks/?page=2');
    expect(absoluteFormToPath({ url: 'http://evil.example/api/logbooks/?page=2' } as IncomingMessage)).toBe('/api/logbooks/?page=2');
    expect(absoluteFormToPath({ url: '*' } as IncomingMessage)).toBe('/');
  });
});
