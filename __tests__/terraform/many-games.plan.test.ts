/**
 * A zone of 50 games (generated: Minecraft woken by SRV, UDP games counted by
 * connections, spot games counted by traffic; IPv6, e-mail and Discord
 * alerts) passes real `terraform validate` and plans every resource — the
 * main stack only: the worlds stack has nothing per game that the examples'
 * plans do not cover already, and planning its 300 resources again would
 * cost the suite time for no new check.
 */
import { parseConfigText } from '../../src/config/load';
import { describeConfigPlans } from '../support/plan-suite';
import { manyGamesYaml } from '../support/many-games';

describeConfigPlans('50 generated games', () => parseConfigText(manyGamesYaml(50), 'fifty-games.yaml', {}), ['gamemanagement']);
