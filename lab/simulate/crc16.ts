/** Number of hash slots of a Redis Cluster. */
export const CLUSTER_SLOTS = 16384;

// CRC16-CCITT (XMODEM): polynomial 0x1021, initial value 0, no reflection — as Redis' crc16.c.
const TABLE = (() => {
  const table = new Uint16Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte << 8;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    }
    table[byte] = crc;
  }
  return table;
})();

/** CRC16/XMODEM of the bytes, the checksum Redis Cluster uses for key slots. */
export function crc16(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) {
    crc = ((crc << 8) & 0xffff) ^ (TABLE[((crc >>> 8) ^ byte) & 0xff] ?? 0);
  }
  return crc;
}

const encoder = new TextEncoder();

/** The bytes Redis hashes for a key: the content of the first non-empty `{…}` hash tag, else the key. */
export function hashTagPart(key: string): string {
  const open = key.indexOf('{');
  if (open < 0) return key;
  const close = key.indexOf('}', open + 1);
  if (close < 0 || close === open + 1) return key;
  return key.slice(open + 1, close);
}

/** The cluster slot of a key, as `CLUSTER KEYSLOT` computes it (CRC16 mod 16384, hash tags honoured). */
export function keySlot(key: string): number {
  return crc16(encoder.encode(hashTagPart(key))) % CLUSTER_SLOTS;
}
