import {
  encodeForm,
  matchesFilter,
  renderTemplate,
  templateReadsEvent,
  type TemplateContext,
} from '../src/index.js';

const context: TemplateContext = {
  event: {
    id: '9',
    type: 'form.submitted',
    timestamp: '2026-01-01T00:00:00.000Z',
    payload: { contact: { email: 'a"b@example.com', score: 7, tags: ['x'] }, text: 'é & =' },
  },
  webhook: { id: 'w1', name: 'CRM "main"', url: 'https://example.com' },
  system: { fqdn: 'hookline.local', publicUrl: 'http://localhost:3000' },
  eventsJson: '{"form.submitted":[{"a":1}]}',
};

describe('renderTemplate', () => {
  it('escapes strings for JSON and inserts other values as JSON literals', () => {
    const out = renderTemplate(
      `{"email":"\${event['payload']['contact']['email']}","score":\${event['payload']['contact']['score']},"tags":\${event['payload']['contact']['tags']},"hook":"\${webhook['name']}","host":"\${system['fqdn']}","all":\${events},"missing":\${event['payload']['nope']}}`,
      context,
      'application/json',
    );
    expect(JSON.parse(out)).toEqual({
      email: 'a"b@example.com',
      score: 7,
      tags: ['x'],
      hook: 'CRM "main"',
      host: 'hookline.local',
      all: { 'form.submitted': [{ a: 1 }] },
      missing: null,
    });
  });

  it('percent-encodes for forms and leaves text as is', () => {
    expect(
      renderTemplate("t=${event['payload']['text']}", context, 'application/x-www-form-urlencoded'),
    ).toBe('t=%C3%A9%20%26%20%3D');
    expect(renderTemplate("${event['payload']['text']}!", context, 'text/plain')).toBe('é & =!');
  });

  it('never evaluates code: JavaScript in a template stays text', () => {
    const template =
      "${process.exit(1)} ${require('fs')} ${event['payload'].constructor} `${1+1}` ${event['__proto__']}";
    expect(renderTemplate(template, context, 'text/plain')).toBe(
      template.replace("${event['__proto__']}", ''),
    );
  });

  it('knows when a template reads one event', () => {
    expect(templateReadsEvent("${event['type']}")).toBe(true);
    expect(templateReadsEvent('${events}')).toBe(false);
    expect(templateReadsEvent(null)).toBe(false);
  });
});

describe('encodeForm', () => {
  it('writes nested data with PHP-style brackets', () => {
    const body = encodeForm({ 'form.submitted': [{ contact: { email: 'a@b.c' }, ok: true, none: null }] });
    expect(body).toBe(
      'form.submitted%5B0%5D%5Bcontact%5D%5Bemail%5D=a%40b.c&form.submitted%5B0%5D%5Bok%5D=1&form.submitted%5B0%5D%5Bnone%5D=',
    );
    expect(Object.fromEntries(new URLSearchParams(body))).toEqual({
      'form.submitted[0][contact][email]': 'a@b.c',
      'form.submitted[0][ok]': '1',
      'form.submitted[0][none]': '',
    });
  });
});

describe('matchesFilter', () => {
  const event = {
    id: '1',
    type: 'form.submitted',
    timestamp: '',
    payload: { form: { id: 3 }, text: 'deploy now', tag: 'a' },
  };
  it('applies eq, in, startsWith and exists, all of which must hold', () => {
    expect(matchesFilter(event, [{ path: 'payload.form.id', op: 'eq', value: 3 }])).toBe(true);
    expect(matchesFilter(event, [{ path: 'payload.form.id', op: 'eq', value: '3' }])).toBe(false);
    expect(matchesFilter(event, [{ path: 'payload.tag', op: 'in', value: ['b', 'a'] }])).toBe(true);
    expect(matchesFilter(event, [{ path: 'payload.text', op: 'startsWith', value: 'deploy' }])).toBe(true);
    expect(matchesFilter(event, [{ path: 'payload.missing', op: 'exists' }])).toBe(false);
    expect(
      matchesFilter(event, [
        { path: 'payload.form.id', op: 'eq', value: 3 },
        { path: 'payload.text', op: 'startsWith', value: 'rollback' },
      ]),
    ).toBe(false);
    expect(matchesFilter(event, [{ path: 'payload.constructor', op: 'exists' }])).toBe(false);
    expect(matchesFilter(event, null)).toBe(true);
  });
});
