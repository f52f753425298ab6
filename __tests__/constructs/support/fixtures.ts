/**
 * Configuration documents for the synth tests: the shipped example's shape,
 * plus games that exercise the other branches (x86, spot, UDP, extra egress,
 * no volumes, the connections probe).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const PREFIX = 'gm';
export const REGION = 'eu-west-1';
export const DOMAIN = 'example.com';

/** The configuration that ships in the repository, as text. */
export function exampleYaml(): string {
  return readFileSync(join(__dirname, '..', '..', '..', 'gamemanagement.yaml'), 'utf8');
}

/** Minecraft Java as in the example: arm64, query probe (so an SRV record), one volume. */
export function minecraft(): Record<string, unknown> {
  return {
    image: 'itzg/minecraft-server:java21',
    instanceType: 't4g.medium',
    ports: [{ port: 25565, protocol: 'tcp' }],
    environment: { EULA: 'TRUE', TYPE: 'PAPER' },
    volumes: [{ path: '/data' }],
    wakeOn: ['SRV'],
    watchdog: { probe: { type: 'query', game: 'minecraft' }, idleMinutes: 10 },
  };
}

/** Valheim: x86_64, UDP ports, connections probe (so no SRV), its own egress, one volume. */
export function valheim(): Record<string, unknown> {
  return {
    image: 'lloesche/valheim-server',
    instanceType: 't3.large',
    ports: [{ port: 2456, protocol: 'udp' }, { port: 2457, protocol: 'udp' }],
    environment: { SERVER_NAME: 'friends' },
    volumes: [{ path: '/config' }],
    watchdog: { probe: { type: 'connections' } },
    egress: [{ port: 27015, protocol: 'udp', cidr: '0.0.0.0/0', description: 'Steam master server' }],
  };
}

/** A spot game on x86_64 with no world and an explicit memory limit. */
export function spotNoVolumes(): Record<string, unknown> {
  return {
    image: 'ryshe/terraria:latest',
    instanceType: 't3.medium',
    memoryMiB: 3000,
    ports: [{ port: 7777, protocol: 'tcp' }],
    spot: true,
    watchdog: { probe: { type: 'connections' } },
  };
}

/** A whole configuration document; `overrides` replaces top-level keys. */
export function configDocument(games: Record<string, Record<string, unknown>>, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: PREFIX,
    region: REGION,
    domain: { name: DOMAIN },
    state: { bucket: 'example-com-gamemanagement-state' },
    alerts: { emails: ['admin@example.com'] },
    games,
    ...overrides,
  };
}
