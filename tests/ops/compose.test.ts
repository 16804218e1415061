import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES } from '@parley/server/config';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface Compose {
  services: Record<string, { image?: string; build?: string; environment?: Record<string, string>; depends_on?: string[]; volumes?: string[] }>;
}

describe('docker-compose.yml (there is no Docker engine here: parse and cross-check it)', () => {
  const compose = yaml.load(fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8')) as Compose;

  it('OC1 has Redis, Postgres, two Parley nodes and a proxy', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['parley-1', 'parley-2', 'postgres', 'proxy', 'redis']);
    expect(compose.services['parley-2']?.environment).toEqual(compose.services['parley-1']?.environment);
    expect(compose.services.proxy?.depends_on).toEqual(['parley-1', 'parley-2']);
  });

  it('OC2 sets only variables Parley knows, and the ones several nodes need', () => {
    const env = compose.services['parley-1']?.environment ?? {};
    for (const name of Object.keys(env)) expect(CONFIG_VARIABLES, name).toContain(name);
    for (const needed of ['DATABASE_URL', 'REDIS_URL', 'PUBLIC_URL', 'TRUST_PROXY', 'HOST']) expect(Object.keys(env)).toContain(needed);
    expect(env.DATABASE_URL).toMatch(/^postgres:\/\/.*@postgres:5432\//);
    expect(env.REDIS_URL).toBe('redis://redis:6379');
  });

  it('OC3 points the proxy at both nodes, and the build at a Dockerfile that exists', () => {
    const caddy = fs.readFileSync(path.join(root, 'ops/Caddyfile'), 'utf8');
    expect(caddy).toContain('parley-1:3000');
    expect(caddy).toContain('parley-2:3000');
    // both partners of a room on one node: the client sends ?room=<roomId> for this
    expect(caddy).toMatch(/lb_policy query room/);
    // metrics are not proxied (security/metrics-exposure): refused before the reverse_proxy
    expect(caddy.indexOf('respond /metrics* 404')).toBeGreaterThan(-1);
    expect(caddy.indexOf('respond /metrics* 404')).toBeLessThan(caddy.indexOf('reverse_proxy'));
    expect(compose.services.proxy?.volumes?.[0]).toContain('./ops/Caddyfile');
    expect(fs.existsSync(path.join(root, 'Dockerfile'))).toBe(true);
  });

  it('OC4 README documents every configuration variable', () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    for (const name of CONFIG_VARIABLES) expect(readme, name).toContain(`\`${name}\``);
  });
});
