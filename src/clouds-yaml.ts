/**
 * `OS_CLOUD` the way OpenStack tools read it (openstacksdk's config loader): the first `clouds.yaml` found in the
 * current directory, `~/.config/openstack/` or `/etc/openstack/` (or `OS_CLIENT_CONFIG_FILE`), with the `secure.yaml`
 * beside it merged over it (secrets kept apart), and the named cloud turned into the `OS_*` variables it stands for.
 * config.ts then treats those like environment variables that the real environment overrides.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

export interface CloudsYamlOptions {
  /** Directory searched first. Default `process.cwd()`. */
  cwd?: string;
  /** Home directory (for `~/.config/openstack/`). Default `os.homedir()`. */
  home?: string;
  /** Directories searched after cwd and home; default `/etc/openstack`. Tests replace it. */
  systemDirs?: readonly string[];
}

/** The variables a cloud entry stands for, with where each came from (for error messages). */
export interface CloudVariables {
  variables: Record<string, string>;
  /** Variable → `clouds.yaml: clouds.otc.auth.auth_url`. */
  sources: Record<string, string>;
  /** The file the cloud was read from. */
  file: string;
}

/** clouds.yaml key (below the cloud) → the variable it sets. `ak`/`sk` are how OTC's tools spell AK/SK. */
const KEYS: ReadonlyArray<readonly [path: string, variable: string]> = [
  ['auth.auth_url', 'OS_AUTH_URL'],
  ['auth.username', 'OS_USERNAME'],
  ['auth.password', 'OS_PASSWORD'],
  ['auth.token', 'OS_AUTH_TOKEN'],
  ['auth.user_domain_name', 'OS_USER_DOMAIN_NAME'],
  ['auth.domain_name', 'OS_DOMAIN_NAME'],
  ['auth.project_domain_name', 'OS_PROJECT_DOMAIN_NAME'],
  ['auth.project_id', 'OS_PROJECT_ID'],
  ['auth.tenant_id', 'OS_PROJECT_ID'],
  ['auth.project_name', 'OS_PROJECT_NAME'],
  ['auth.tenant_name', 'OS_PROJECT_NAME'],
  ['auth.ak', 'OS_ACCESS_KEY'],
  ['auth.access_key', 'OS_ACCESS_KEY'],
  ['auth.sk', 'OS_SECRET_KEY'],
  ['auth.secret_key', 'OS_SECRET_KEY'],
  ['region_name', 'OS_REGION_NAME'],
  ['cbr_endpoint_override', 'CBR_ENDPOINT'],
  ['vbs_endpoint_override', 'VBS_ENDPOINT'],
];

/** Where clouds.yaml is looked for, in order. */
export function cloudsYamlCandidates(options: CloudsYamlOptions = {}, explicitFile?: string): string[] {
  const cwd = options.cwd ?? process.cwd();
  if (explicitFile !== undefined) return [resolve(cwd, explicitFile)];
  const dirs = [cwd, join(options.home ?? homedir(), '.config', 'openstack'), ...(options.systemDirs ?? ['/etc/openstack'])];
  return dirs.map((dir) => join(dir, 'clouds.yaml'));
}

/**
 * Reads cloud `name`; throws an Error whose message says what is wrong (no file, no such cloud, unreadable YAML),
 * never a value from the file.
 */
export function readCloud(name: string, options: CloudsYamlOptions = {}, explicitFile?: string): CloudVariables {
  const candidates = cloudsYamlCandidates(options, explicitFile);
  const file = candidates.find((candidate) => existsSync(candidate));
  if (file === undefined) throw new Error(`no clouds.yaml found (looked in ${candidates.join(', ')})`);
  const clouds = cloudsOf(file);
  const secureFile = join(file, '..', 'secure.yaml');
  const secure = existsSync(secureFile) ? cloudsOf(secureFile) : {};
  const cloud = clouds[name];
  if (!isObject(cloud)) {
    const known = Object.keys(clouds);
    throw new Error(`no cloud "${name}" in ${file} (${known.length ? `clouds: ${known.join(', ')}` : 'it lists no clouds'})`);
  }
  const merged = deepMerge(cloud, isObject(secure[name]) ? secure[name] : {});
  const variables: Record<string, string> = {};
  const sources: Record<string, string> = {};
  for (const [path, variable] of KEYS) {
    const value = path.split('.').reduce<unknown>((node, key) => (isObject(node) ? node[key] : undefined), merged);
    if (value === undefined || value === null || variables[variable] !== undefined) continue;
    variables[variable] = String(value);
    sources[variable] = `clouds.yaml: clouds.${name}.${path}`;
  }
  // `regions: [eu-de, …]` names the cloud's regions when `region_name` does not; the first is the default (openstacksdk).
  const regions = (merged as { regions?: unknown }).regions;
  if (variables.OS_REGION_NAME === undefined && Array.isArray(regions) && regions.length > 0) {
    const first: unknown = regions[0];
    const region = isObject(first) ? first.name : first;
    if (typeof region === 'string') {
      variables.OS_REGION_NAME = region;
      sources.OS_REGION_NAME = `clouds.yaml: clouds.${name}.regions[0]`;
    }
  }
  return { variables, sources, file };
}

function cloudsOf(file: string): Record<string, unknown> {
  let document: unknown;
  try {
    document = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    // The YAML parser's message quotes the offending line, which may hold a password: name only the position.
    const at = (error as { linePos?: Array<{ line: number; col: number }> }).linePos?.[0];
    throw new Error(`${file} is not valid YAML${at ? ` (line ${at.line}, column ${at.col})` : ''}`);
  }
  const clouds = isObject(document) ? document.clouds : undefined;
  return isObject(clouds) ? clouds : {};
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** secure.yaml over clouds.yaml: objects merged key by key, anything else replaced. */
function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (key === '__proto__') continue;
    const current = merged[key];
    merged[key] = isObject(current) && isObject(value) ? deepMerge(current, value) : value;
  }
  return merged;
}
