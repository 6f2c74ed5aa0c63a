// Minimal typings for hashring 3 (no bundled types): only the API the sharded strategy uses.
declare module 'hashring' {
  class HashRing {
    /** Servers as 'host:port' strings; the continuum is ketama's (md5, 40 vnodes × 4 points). */
    constructor(servers: string | string[], algorithm?: string, options?: Record<string, unknown>);
    /** The server responsible for a key. */
    get(key: string): string;
  }
  export = HashRing;
}
