/**
 * The part of gamedig 5 the query probe uses (the package ships no types).
 * Field names are those of gamedig's `Results`.
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
    /** Named players; some protocols send only a sample (Minecraft: up to 12). */
    readonly players: readonly { readonly name?: string }[];
    /** Round-trip time of the query, in ms. */
    readonly ping: number;
  }

  export class GameDig {
    static query(options: QueryOptions): Promise<QueryResult>;
  }
}
