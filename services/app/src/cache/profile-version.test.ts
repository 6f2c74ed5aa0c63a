import { describe, expect, it } from 'vitest';
import { readProfileVersion } from './profile-version.ts';

const body = (text: string) => Buffer.from(text, 'utf8');

describe('readProfileVersion', () => {
  it('reads the leading version field without parsing the document', () => {
    const big = `{"id":42,"version":7,"name":"x","items":[${'1,'.repeat(10_000)}1]}`;
    expect(readProfileVersion(body(big))).toBe(7);
  });

  it('reads the spacing Postgres json_build_object renders', () => {
    expect(readProfileVersion(body('{"id" : 42, "version" : 7, "handle" : "a"}'))).toBe(7);
  });

  it('tolerates whitespace between the leading fields', () => {
    expect(readProfileVersion(body('{ "id" : 1 , "version" : 12 }'))).toBe(12);
  });

  it('falls back to a full parse when the fields come in another order', () => {
    expect(readProfileVersion(body('{"name":"a","version":3,"id":1}'))).toBe(3);
  });

  it('ignores a nested version when the top level has none', () => {
    expect(readProfileVersion(body('{"id":1,"skills":{"version":9}}'))).toBeUndefined();
  });

  it('returns undefined for bodies without an integer version or that are not JSON', () => {
    expect(readProfileVersion(body('{"id":1,"version":"3"}'))).toBeUndefined();
    expect(readProfileVersion(body('not json'))).toBeUndefined();
    expect(readProfileVersion(body('[1,2]'))).toBeUndefined();
  });
});
