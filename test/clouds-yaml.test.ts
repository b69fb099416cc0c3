/** src/clouds-yaml.ts: finding clouds.yaml as OpenStack tools do, merging secure.yaml, a cloud as OS_* variables. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cloudsYamlCandidates, readCloud } from '../src/clouds-yaml';

function dirs() {
  const root = mkdtempSync(join(tmpdir(), 'clouds-yaml-'));
  const cwd = join(root, 'cwd');
  const home = join(root, 'home');
  const system = join(root, 'etc-openstack');
  for (const dir of [cwd, join(home, '.config', 'openstack'), system]) mkdirSync(dir, { recursive: true });
  return { root, cwd, home, system, options: { cwd, home, systemDirs: [system] } };
}

const OTC = `
clouds:
  otc:
    auth:
      auth_url: https://iam.eu-de.otc.t-systems.com/v3
      username: alice
      user_domain_name: OTC-EU-DE-000
      project_name: eu-de_dev
    region_name: eu-de
  other:
    auth:
      ak: AKEXAMPLE
      sk: from-clouds-yaml
      project_id: 0123456789abcdef
    regions: [eu-nl, eu-de]
    cbr_endpoint_override: https://cbr.proxy.example.com
`;

describe('clouds.yaml', () => {
  it('looks in the current directory, then ~/.config/openstack, then /etc/openstack, or only in OS_CLIENT_CONFIG_FILE', () => {
    const { cwd, home, system, options } = dirs();
    expect(cloudsYamlCandidates(options)).toEqual([join(cwd, 'clouds.yaml'), join(home, '.config/openstack/clouds.yaml'), join(system, 'clouds.yaml')]);
    expect(cloudsYamlCandidates(options, 'conf/my.yaml')).toEqual([join(cwd, 'conf/my.yaml')]);

    writeFileSync(join(system, 'clouds.yaml'), 'clouds: { otc: { region_name: eu-nl } }');
    expect(readCloud('otc', options).variables).toEqual({ OS_REGION_NAME: 'eu-nl' });
    writeFileSync(join(home, '.config/openstack/clouds.yaml'), 'clouds: { otc: { region_name: eu-ch2 } }');
    expect(readCloud('otc', options).file).toBe(join(home, '.config/openstack/clouds.yaml'));
    writeFileSync(join(cwd, 'clouds.yaml'), OTC);
    expect(readCloud('otc', options).variables.OS_REGION_NAME).toBe('eu-de');
  });

  it('turns a cloud into OS_* variables, with secure.yaml merged over it, and says where each came from', () => {
    const { cwd, options } = dirs();
    writeFileSync(join(cwd, 'clouds.yaml'), OTC);
    writeFileSync(join(cwd, 'secure.yaml'), 'clouds:\n  otc:\n    auth:\n      password: from-secure-yaml\n');
    const otc = readCloud('otc', options);
    expect(otc.variables).toEqual({
      OS_AUTH_URL: 'https://iam.eu-de.otc.t-systems.com/v3',
      OS_USERNAME: 'alice',
      OS_PASSWORD: 'from-secure-yaml',
      OS_USER_DOMAIN_NAME: 'OTC-EU-DE-000',
      OS_PROJECT_NAME: 'eu-de_dev',
      OS_REGION_NAME: 'eu-de',
    });
    expect(otc.sources.OS_PASSWORD).toBe('clouds.yaml: clouds.otc.auth.password');
    expect(readCloud('other', options).variables).toEqual({
      OS_ACCESS_KEY: 'AKEXAMPLE',
      OS_SECRET_KEY: 'from-clouds-yaml',
      OS_PROJECT_ID: '0123456789abcdef',
      OS_REGION_NAME: 'eu-nl',
      CBR_ENDPOINT: 'https://cbr.proxy.example.com',
    });
  });

  it('names the files it looked in, the clouds there are, and never quotes a line of a broken file', () => {
    const { cwd, options } = dirs();
    expect(() => readCloud('otc', options)).toThrow(`no clouds.yaml found (looked in ${join(cwd, 'clouds.yaml')}, `);
    writeFileSync(join(cwd, 'clouds.yaml'), OTC);
    expect(() => readCloud('prod', options)).toThrow(`no cloud "prod" in ${join(cwd, 'clouds.yaml')} (clouds: otc, other)`);
    writeFileSync(join(cwd, 'clouds.yaml'), 'clouds:\n  otc:\n    auth: { password: "hunter2\n');
    const error = (() => {
      try {
        readCloud('otc', options);
      } catch (caught) {
        return caught as Error;
      }
    })();
    expect(error?.message).toMatch(/clouds\.yaml is not valid YAML \(line \d+, column \d+\)$/);
    expect(error?.message).not.toContain('hunter2');
  });
});
