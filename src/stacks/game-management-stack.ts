import { TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { ConfigError } from '../config/config-error';
import type { Config } from '../config/resolve';
import { Alerts } from '../constructs/shared/alerts';
import { AwsProviders } from '../constructs/shared/aws-providers';
import { Budget } from '../constructs/shared/budget';
import { DiscordNotifier } from '../constructs/shared/discord-notifier';
import { DnsWake } from '../constructs/wake/dns-wake';
import { functionEnvironmentProblems } from '../constructs/game/function-environments';
import { Game } from '../constructs/game/game';
import { wakeRoute } from '../constructs/game/runtime-game';
import { gameResourceNames } from '../runtime/names';
import type { GameStorage } from '../constructs/game/storage';
import { HostedZone } from '../constructs/shared/hosted-zone';
import { Network } from '../constructs/shared/network';
import { useS3State } from './s3-state';

export const MAIN_STACK = 'gamemanagement';

/** Days the game containers' logs are kept. */
export const GAME_LOG_RETENTION_DAYS = 14;

/**
 * Shared network, DNS and alerts, and every game's host, container and records.
 * What Lambda or IAM would refuse at apply fails here, before anything is
 * built: a ConfigError naming each game (`configFile` names the file).
 */
export class GameManagementStack extends TerraformStack {
  readonly providers: AwsProviders;
  readonly network: Network;
  readonly zone: HostedZone;
  readonly alerts: Alerts;
  readonly games: ReadonlyMap<string, Game>;
  readonly wake: DnsWake;
  readonly discord?: DiscordNotifier;
  /** The account's monthly cost budget, when `alerts.monthlyBudgetUsd` is set. */
  readonly budget?: Budget;

  constructor(scope: Construct, config: Config, worlds: ReadonlyMap<string, GameStorage>, configFile = 'the configuration') {
    const problems = functionEnvironmentProblems(config);
    if (problems.length > 0) throw new ConfigError(configFile, problems);
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
    if (config.alerts.monthlyBudgetUsd !== undefined) {
      this.budget = new Budget(this, 'budget', { prefix: config.name, monthlyUsd: config.alerts.monthlyBudgetUsd, emails: config.alerts.emails });
    }
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
    // `cdktf output gamemanagement`: how players reach each game (its name, SRV record and ports).
    for (const game of config.games) {
      new TerraformOutput(this, `output-game-${game.id}`, {
        value: {
          address: game.fqdn,
          ...(game.srv ? { srv: game.srv.name } : {}),
          ports: game.ports.map((p) => `${p.port}/${p.protocol}`),
        },
        description: `How players reach ${game.id}: the name (and SRV record) to connect to, and its ports`,
      }).overrideLogicalId(`game-${game.id}`);
    }

    this.wake = new DnsWake(this, 'wake', {
      prefix: config.name,
      queryLogGroup: this.zone.queryLogGroup,
      usEast1: this.providers.usEast1,
      gameRegion: config.region,
      topicArn: this.alerts.topic.arn,
      alertEmails: config.alerts.emails,
      routes: config.games.map((game) => wakeRoute(game, gameResourceNames(config.name, game.id))),
    });
    if (config.alerts.discordWebhookParameter) {
      this.discord = new DiscordNotifier(this, 'discord', {
        prefix: config.name,
        region: config.region,
        topic: this.alerts.topic,
        webhookParameterName: config.alerts.discordWebhookParameter,
      });
      this.discord.subscribeTo('waker-failures', this.wake.failures, this.providers.usEast1);
    }
  }
}
