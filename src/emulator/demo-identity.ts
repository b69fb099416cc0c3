/**
 * The emulator's built-in demo account: one domain, two projects and one user with a password and an AK/SK pair.
 * Fixed values (not generated) so README, CLI output, the gateway's default config and tests can all name them.
 * These credentials only ever open the local emulator.
 */

/** The region the demo projects live in (OTC names projects after their region: `eu-de`, `eu-de_<sub>`). */
export const DEMO_REGION = 'eu-de';

export const DEMO_DOMAIN = {
  id: '5f3c8e1a9b2d4c6e8f0a1b2c3d4e5f60',
  name: 'cbr-emulator-demo',
} as const;

/** The main project (where the demo data lives) and a sub-project (share destination, cross-project checks). */
export const DEMO_PROJECT = { id: '0a1b2c3d4e5f60718293a4b5c6d7e8f9', name: 'eu-de' } as const;
export const DEMO_PROJECT_2 = { id: '1b2c3d4e5f60718293a4b5c6d7e8f90a', name: 'eu-de_demo2' } as const;
export const DEMO_PROJECTS = [DEMO_PROJECT, DEMO_PROJECT_2] as const;

/** Password user (token flow) and the same user's access key (AK/SK signing). */
export const DEMO_USER = {
  id: '7e9a1c3b5d7f9e1a3c5b7d9f1e3a5c7b',
  name: 'demo-user',
  password: 'demo-password',
  /** 20 characters like a real AK. */
  accessKey: 'CBREMULATORDEMOAK001',
  /** 40 characters like a real SK. */
  secretKey: 'CbrEmulatorDemoSecretKey0000000000000001',
} as const;

/** Everything a client needs, in one object (what the CLI prints). */
export const DEMO_CREDENTIALS = {
  region: DEMO_REGION,
  domain: DEMO_DOMAIN,
  user: DEMO_USER,
  projects: DEMO_PROJECTS,
} as const;
