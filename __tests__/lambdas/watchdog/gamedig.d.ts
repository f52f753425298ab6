/**
 * The part of gamedig 5 the watchdog's tests use (the package ships no
 * types): gamedig is the reference the query probe's own protocol code and
 * its table of game ids are checked against. Field names are gamedig's.
 */
declare module 'gamedig' {
  export interface QueryOptions {
    readonly type: string;
    readonly host: string;
    readonly port?: number;
    readonly maxRetries?: number;
    readonly socketTimeout?: number;
    readonly attemptTimeout?: number;
    /** Query only the given port, not the game's usual query-port offsets. */
    readonly givenPortOnly?: boolean;
  }

  export interface QueryResult {
    readonly name: string;
    /** Players online; gamedig sets 0 when the protocol does not report a number. */
    readonly numplayers: number;
    readonly maxplayers: number;
    readonly players: readonly { readonly name?: string }[];
    /** Round-trip time of the query, in ms. */
    readonly ping: number;
  }

  export class GameDig {
    static query(options: QueryOptions): Promise<QueryResult>;
  }

  /** gamedig's games list (GAMES_LIST.md), by game id. */
  export const games: Readonly<Record<string, {
    readonly name: string;
    readonly options: { readonly protocol: string; readonly port?: number; readonly port_query?: number; readonly port_query_offset?: number | number[] };
    readonly extra?: { readonly old_id?: string };
  }>>;
}
