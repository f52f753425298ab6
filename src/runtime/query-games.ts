/**
 * Which query each game id speaks, for the `query` probe: the gamedig game
 * ids (gamedig 5's games list) whose protocol the watchdog implements itself,
 * `minecraft` (Java server-list ping and Bedrock RakNet ping) and `valve`
 * (Steam A2S_INFO). Derived from gamedig's list, and checked against it by
 * `__tests__/lambdas/watchdog/query-games.test.ts`, so a gamedig upgrade that
 * moves a game fails a test instead of the probe.
 *
 * The watchdog does not load gamedig itself: the library weighs ~1 MB with
 * its 69 protocols and their dependencies (iconv-lite alone is half of it),
 * for one protocol per game. Games of other protocols use the `connections`
 * probe, which counts players on the host for any game.
 */
export type QueryProtocol = 'minecraft' | 'valve';

const MINECRAFT_GAMES = ['minecraft', 'mbe'];

/** Steam games answering A2S_INFO (gamedig protocol `valve`). */
const VALVE_GAMES = (
  'a2oa aapg abioticfactor actionsource ahl alienswarm americasarmy3 aoc arma2 arma3 armareforger ase atlas '
  + 'avorion avp2010 ballisticoverkill barotrauma basedefense battalion1944 blackmesa bladesymphony brainbread '
  + 'brainbread2 breach brink cmw codbo3 codenamecure codmw3 colonysurvival conanexiles contagion corekeeper '
  + 'counterstrike16 counterstrike2 creativerse cscz csgo css dab dal dayofdragons dayzmod ddd deathmatchclassic '
  + 'dmomam dod dods doi dota2 dow dst dystopia egs empiresmod enshrouded ets2 exfil fof fortressforever foundry '
  + 'garrysmod goldeneyesource groundbreach gunmanchronicles hl2d hld hlds hll hlof homefront hurtworld icarus imic '
  + 'insurgency insurgencysandstorm jc3m killingfloor2 kreedzclimbing l4d l4d2 medievalengineers mnc moe mordhau '
  + 'naturalselection naturalselection2 nla nmrih nucleardawn ohd onset pce pixark postscriptum projectcars '
  + 'projectcars2 projectzomboid pvak2 quakelive rdkf redorchestra2 rfactor2 ricochet risingworld ror2 rs2v rust '
  + 'shatteredhorizon sinepisodes sotf soulmask spaceengineers starbound stn suicidesurvival svencoop synergy '
  + 'teamfortress2 tfc theforest thefront thehidden theisle theship thespecialists towerunite unturned valheim '
  + 'vampireslayer vrising wurmunlimited zombiemaster zps'
).split(' ');

/** Ids gamedig used before version 5 (its `extra.old_id`), still accepted: configurations written for them keep working. */
export const OLD_GAME_IDS: Readonly<Record<string, string>> = {
  ageofchivalry: 'aoc', americasarmypg: 'aapg', arkse: 'ase', arma2oa: 'a2oa', armare: 'armareforger', as: 'actionsource',
  bat1944: 'battalion1944', bd: 'basedefense', bs: 'bladesymphony', chivalry: 'cmw', cs16: 'counterstrike16',
  cs2: 'counterstrike2', daysofwar: 'dow', dinodday: 'ddd', dmc: 'deathmatchclassic', dnl: 'dal', dys: 'dystopia',
  em: 'empiresmod', empyrion: 'egs', forrest: 'theforest', ges: 'goldeneyesource', hidden: 'thehidden', hl2dm: 'hl2d',
  hldm: 'hld', hldms: 'hlds', hlopfor: 'hlof', insurgencymic: 'imic', isle: 'theisle', jc3mp: 'jc3m',
  kzmod: 'kreedzclimbing', left4dead: 'l4d', left4dead2: 'l4d2', minecraftbe: 'mbe', ns: 'naturalselection',
  ns2: 'naturalselection2', pc: 'projectcars', pc2: 'projectcars2', primalcarnage: 'pce', przomboid: 'projectzomboid',
  ps: 'postscriptum', pvkii: 'pvak2', ragdollkungfu: 'rdkf', rs2: 'rs2v', ship: 'theship', sinep: 'sinepisodes',
  sonsoftheforest: 'sotf', tf2: 'teamfortress2', vs: 'vampireslayer', wurm: 'wurmunlimited',
};

export const QUERY_GAMES: ReadonlyMap<string, QueryProtocol> = new Map<string, QueryProtocol>([
  ...MINECRAFT_GAMES.map((id): [string, QueryProtocol] => [id, 'minecraft']),
  ...VALVE_GAMES.map((id): [string, QueryProtocol] => [id, 'valve']),
]);

/** The protocol of a game id (current or old gamedig id); undefined when the watchdog does not speak it. */
export function queryProtocolOf(gameId: string): QueryProtocol | undefined {
  return QUERY_GAMES.get(gameId) ?? QUERY_GAMES.get(OLD_GAME_IDS[gameId] ?? '');
}
