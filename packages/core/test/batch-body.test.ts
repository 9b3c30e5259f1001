import { createHmac } from 'node:crypto';
import {
  buildBatchBody,
  eventElement,
  mauticSignature,
  compactJson,
  objectMembers,
  arrayItems,
} from '../src/index.js';

const at = new Date('2026-01-02T03:04:05.678Z');

describe('eventElement', () => {
  it('appends the event timestamp and keeps the payload key order, integer-like keys included', () => {
    const el = eventElement('{"b":1,"2":"two","a":{"z":1,"1":2}}', at);
    expect(el).toBe('{"b":1,"2":"two","a":{"z":1,"1":2},"timestamp":"2026-01-02T03:04:05.678Z"}');
  });

  it('overrides a timestamp the payload already has, in its place, like object spread', () => {
    expect(eventElement('{"timestamp":"old","x":1}', at)).toBe(
      '{"timestamp":"2026-01-02T03:04:05.678Z","x":1}',
    );
  });

  it('handles an empty payload', () => {
    expect(eventElement('{}', at)).toBe('{"timestamp":"2026-01-02T03:04:05.678Z"}');
  });
});

describe('buildBatchBody', () => {
  it('groups by type in order of first appearance and keeps event order inside each group', () => {
    const body = buildBatchBody([
      { type: 'form.submitted', payload: '{"n":1}', occurredAt: at },
      { type: 'contact.updated', payload: '{"n":2}', occurredAt: at },
      { type: 'form.submitted', payload: '{"n":3}', occurredAt: at },
    ]);
    const parsed = JSON.parse(body) as Record<string, { n: number }[]>;
    expect(Object.keys(parsed)).toEqual(['form.submitted', 'contact.updated']);
    expect(parsed['form.submitted']!.map((e) => e.n)).toEqual([1, 3]);
    expect(parsed['contact.updated']!.map((e) => e.n)).toEqual([2]);
  });

  it('uses the key mapping it is given (Mautic names)', () => {
    const body = buildBatchBody(
      [{ type: 'form.submitted', payload: '{}', occurredAt: at }],
      () => 'mautic.form_on_submit',
    );
    expect(Object.keys(JSON.parse(body) as object)).toEqual(['mautic.form_on_submit']);
  });
});

describe('mauticSignature', () => {
  it('is base64 HMAC-SHA256 of the exact body bytes', () => {
    const body = '{"a":"é"}';
    const expected = createHmac('sha256', 'sekret').update(Buffer.from(body, 'utf8')).digest('base64');
    expect(mauticSignature('sekret', body)).toBe(expected);
    expect(mauticSignature('sekret', body + ' ')).not.toBe(expected);
  });
});

describe('raw JSON spans', () => {
  it('finds members and items without reparsing, strings with brackets and escapes included', () => {
    const text = ' { "events" : [ {"payload":{"s":"}],\\"["}} , 2 ], "x" : null } ';
    const top = objectMembers(text);
    expect(top.map((m) => m.key)).toEqual(['events', 'x']);
    const items = arrayItems(text, top[0]!.value.start);
    expect(items).toHaveLength(2);
    const inner = objectMembers(text, items[0]!.start);
    expect(text.slice(inner[0]!.value.start, inner[0]!.value.end)).toBe('{"s":"}],\\"["}');
  });

  it('compacts whitespace outside strings only', () => {
    expect(compactJson('{ "a b" : [ 1 , "c  d" ] }')).toBe('{"a b":[1,"c  d"]}');
  });
});
