import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import type { Config } from '../config/resolve';
import { Alerts } from '../constructs/shared/alerts';
import { AwsProviders } from '../constructs/shared/aws-providers';
import { DiscordNotifier } from '../constructs/shared/discord-notifier';
import { DnsWake } from '../constructs/wake/dns-wake';
import { Game } from '../constructs/game/game';
import type { GameStorage } from '../constructs/game/storage';
import { HostedZone } from '../constructs/shared/hosted-zone';
import { Network } from '../constructs/shared/network';
import { useS3State } from './s3-state';

export const MAIN_STACK = 'gamemanagement';

/** Days the game containers' logs are kept. */
export const GAME_LOG_RETENTION_DAYS = 14;

/** Shared network, DNS and alerts, and every game's host, container and records. */
export class GameManagementStack extends TerraformStack {
  readonly providers: AwsProviders;
  readonly network: Network;
  readonly zone: HostedZone;
  readonly alerts: Alerts;
  readonly games: ReadonlyMap<string, Game>;

  constructor(scope: Construct, config: Config, worlds: ReadonlyMap<string, GameStorage>) {
    super(scope, MAIN_STACK);
    useS3State(this, config, config.state.key);
    this.providers = new AwsProviders(this, 'aws', { region: config.region, prefix: config.name, tags: config.tags });
    this.network = new Network(this, 'network', {
      prefix: config.name,
      cidr: config.network.cidr,
      availabilityZone: config.network.availabilityZone,
      ipv6: config.network.ipv6,
    });
    this.zone = new HostedZone(this, 'dns', {
      prefix: config.name,
      domainName: config.domain.name,
      existingZoneId: config.domain.hostedZoneId,
      usEast1: this.providers.usEast1,
    });
    this.alerts = new Alerts(this, 'alerts', { prefix: config.name, emails: config.alerts.emails });
    const games = new Map<string, Game>();
    for (const game of config.games) {
      const storage = worlds.get(game.id);
      if (!storage) throw new Error(`no world storage for game ${game.id}`);
      games.set(game.id, new Game(this, `game-${game.id}`, {
        prefix: config.name,
        region: config.region,
        game,
        vpcId: this.network.vpc.id,
        subnetId: this.network.subnet.id,
        zoneId: this.zone.zoneId,
        ipv6: config.network.ipv6,
        storage,
        logRetentionDays: GAME_LOG_RETENTION_DAYS,
        topicArn: this.alerts.topic.arn,
      }));
    }
    this.games = games;

    new DnsWake(this, 'wake', {
      prefix: config.name,
      queryLogGroup: this.zone.queryLogGroup,
      usEast1: this.providers.usEast1,
      gameRegion: config.region,
      topicArn: this.alerts.topic.arn,
      games: config.games.map((game) => ({
        id: game.id,
        fqdn: game.fqdn,
        names: [game.fqdn, ...(game.srv ? [game.srv.name] : [])].map((n) => n.toLowerCase()),
        wakeOn: game.wakeOn,
        asgName: games.get(game.id)!.host.group.name,
        asgArn: games.get(game.id)!.host.group.arn,
      })),
    });
    if (config.alerts.discordWebhookParameter) {
      new DiscordNotifier(this, 'discord', {
        prefix: config.name,
        region: config.region,
        topic: this.alerts.topic,
        webhookParameterName: config.alerts.discordWebhookParameter,
      });
    }
  }
}
