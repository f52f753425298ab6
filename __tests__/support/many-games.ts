/**
 * A generated configuration with many games, for the scale tests: a zone of
 * `count` games that between them take every branch of the constructs (a
 * Minecraft server woken by SRV lookups, a UDP game counted by connections on
 * a host name of its own, a spot game counted by traffic; worlds, IPv6,
 * e-mail and Discord alerts). Ids and host names are as long as a user might
 * make them, so sizes measured on it are not flattered by short names.
 */
import { stringify } from 'yaml';

/** The game ids of `manyGamesYaml(count)`, in order. */
export function manyGameIds(count: number): string[] {
  const kinds = ['minecraft-java', 'valheim-world', 'terraria-spot'];
  return Array.from({ length: count }, (_, i) => `${kinds[i % kinds.length]}-${String(i).padStart(2, '0')}`);
}

export function manyGamesYaml(count: number): string {
  const games: Record<string, unknown> = {};
  manyGameIds(count).forEach((id, i) => {
    if (i % 3 === 0) {
      games[id] = {
        image: 'itzg/minecraft-server:java21',
        instanceType: 't4g.medium',
        ports: [{ port: 25565 }],
        wakeOn: ['SRV'],
        volumes: [{ path: '/data' }],
        watchdog: { probe: { type: 'query', game: 'minecraft' } },
      };
    } else if (i % 3 === 1) {
      games[id] = {
        hostname: `${id}.servers`,
        image: 'lloesche/valheim-server',
        instanceType: 't3.large',
        ports: [{ port: 2456, protocol: 'udp' }, { port: 2457, protocol: 'udp' }, { port: 2458, protocol: 'tcp' }],
        wakeOn: ['A', 'AAAA'],
        volumes: [{ path: '/config' }, { path: '/opt/valheim' }],
        watchdog: { probe: { type: 'connections' }, idleMinutes: 20, maxHours: 2.5, stopAfterMaxHours: true },
      };
    } else {
      games[id] = {
        image: 'ryshe/terraria:latest',
        instanceType: 't3.medium',
        spot: true,
        ports: [{ port: 7777 }],
        watchdog: { probe: { type: 'traffic', bytesPerMinute: 50000 }, maxHours: 4 },
      };
    }
  });
  return stringify({
    name: 'gm',
    region: 'ap-southeast-2',
    domain: { name: 'games.example-community.com' },
    state: { bucket: 'example-community-gamemanagement-state' },
    alerts: { emails: ['admin@example-community.com', 'second-admin@example-community.com'], discordWebhookParameter: '/gm/discord-webhook' },
    network: { ipv6: true },
    games,
  });
}
