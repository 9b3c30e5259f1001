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
  it("renders the Mitto docs' Slack example byte for byte from the payload's own keys", () => {
    // https://www.zuar.com/help/mitto/webhooks/ ("Complete example").
    const template =
      "{\n\"text\": \"Job Complete!: ${system['fqdn']} - ${job['title']}\\nhttps://${system['fqdn']}/#!/job/${job['id']}\"\n}";
    const mitto: TemplateContext = {
      ...context,
      event: { ...context.event!, type: 'JOB_COMPLETE', payload: { job: { id: 22739, title: 'Webhooks!' } } },
      system: { fqdn: 'stage.zuarbase.net', publicUrl: 'http://localhost:3000' },
    };
    const out = renderTemplate(template, mitto, 'application/json');
    expect(out.unresolved).toEqual([]);
    expect(out.text).toBe(
      '{\n"text": "Job Complete!: stage.zuarbase.net - Webhooks!\\nhttps://stage.zuarbase.net/#!/job/22739"\n}',
    );
    expect((JSON.parse(out.text) as { text: string }).text).toBe(
      'Job Complete!: stage.zuarbase.net - Webhooks!\nhttps://stage.zuarbase.net/#!/job/22739',
    );
  });

  it('renders an unknown reference as empty text and lists it once', () => {
    const out = renderTemplate(
      "a=${job['nope']} b=${job['nope']} c=${contact['email']} d=${contact['nope']['deeper']}",
      context,
      'text/plain',
    );
    expect(out.text).toBe('a= b= c=a"b@example.com d=');
    expect(out.unresolved).toEqual(["${job['nope']}", "${contact['nope']['deeper']}"]);
  });

  it('reads payload keys only through own properties, and reserved roots win', () => {
    const out = renderTemplate(
      "${contact['constructor']}|${toString['x']}|${webhook['id']}",
      context,
      'text/plain',
    );
    expect(out.text).toBe('||w1');
  });

  it('escapes strings for JSON and inserts other values as JSON literals', () => {
    const out = renderTemplate(
      `{"email":"\${event['payload']['contact']['email']}","score":\${event['payload']['contact']['score']},"tags":\${event['payload']['contact']['tags']},"hook":"\${webhook['name']}","host":"\${system['fqdn']}","all":\${events},"missing":"\${event['payload']['nope']}"}`,
      context,
      'application/json',
    ).text;
    expect(JSON.parse(out)).toEqual({
      email: 'a"b@example.com',
      score: 7,
      tags: ['x'],
      hook: 'CRM "main"',
      host: 'hookline.local',
      all: { 'form.submitted': [{ a: 1 }] },
      missing: '',
    });
  });

  it('percent-encodes for forms and leaves text as is', () => {
    expect(
      renderTemplate("t=${event['payload']['text']}", context, 'application/x-www-form-urlencoded').text,
    ).toBe('t=%C3%A9%20%26%20%3D');
    expect(renderTemplate("${event['payload']['text']}!", context, 'text/plain').text).toBe('é & =!');
  });

  it('never evaluates code: JavaScript in a template stays text', () => {
    const template =
      "${process.exit(1)} ${require('fs')} ${event['payload'].constructor} `${1+1}` ${event['__proto__']}";
    expect(renderTemplate(template, context, 'text/plain').text).toBe(
      template.replace("${event['__proto__']}", ''),
    );
  });

  it('knows when a template reads one event', () => {
    expect(templateReadsEvent("${event['type']}")).toBe(true);
    expect(templateReadsEvent("${job['title']}")).toBe(true);
    expect(templateReadsEvent("${system['fqdn']} ${webhook['name']}")).toBe(false);
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
