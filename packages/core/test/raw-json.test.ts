import { arrayItems, compactJson, memberValue, objectMembers, skipValue } from '../src/raw-json.js';

// The scanner cuts producers' payloads out of the request body byte for byte; these texts aim at
// its edges: escaped quotes and backslash runs, escaped keys, whitespace in and out of strings.
const tricky = [
  '{"a":"x\\\\"}',
  '{"a":"say \\"hi\\"","b":"\\\\\\"","c":"\\\\\\\\"}',
  '{ "k\\u0065y" : [ 1 , { "n" : "a b" } ] , "2" : true }',
  '{"emoji":"\\ud83d\\ude00 é","nested":{"deep":[[],{},""]}}',
  '{\n\t"spaced" :\r\n "v a l" ,"num": -1.5e+3 ,"nul" : null }',
];

describe('raw JSON scanner', () => {
  it.each(tricky)('finds the members of %s as JSON.parse does, in source order', (text) => {
    const members = objectMembers(text);
    const parsed = JSON.parse(text) as Record<string, unknown>;
    expect(members.map((m) => m.key).sort()).toEqual(Object.keys(parsed).sort());
    for (const m of members) {
      expect(JSON.parse(memberValue(text, members, m.key)!)).toEqual(parsed[m.key]);
    }
    expect(skipValue(text, 0)).toBe(text.length);
  });

  it('keeps the source order of integer-like keys (which JSON.parse moves first)', () => {
    expect(objectMembers('{"b":1,"10":2,"a":3,"2":4}').map((m) => m.key)).toEqual(['b', '10', 'a', '2']);
  });

  it.each(tricky)('compacts %s without touching strings', (text) => {
    const compact = compactJson(text);
    expect(JSON.parse(compact)).toEqual(JSON.parse(text));
    expect(compact.replace(/"(?:[^"\\]|\\.)*"/g, '')).not.toMatch(/\s/);
  });

  it('splits an array into its items, strings with brackets and escaped quotes included', () => {
    const text = ' [ "a]\\"," , {"x":"}"} ,[1,[2]], 3 ] ';
    const items = arrayItems(text).map((s) => text.slice(s.start, s.end));
    expect(items).toEqual(['"a]\\","', '{"x":"}"}', '[1,[2]]', '3']);
  });

  it('refuses an unterminated string', () => {
    expect(() => skipValue('"abc\\"', 0)).toThrow(SyntaxError);
  });
});
