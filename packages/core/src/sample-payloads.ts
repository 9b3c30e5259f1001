/** Realistic sample payloads per event type, for `POST /v1/webhooks/:id/test`. */
const contact = {
  id: 42,
  email: 'ada.lovelace@example.com',
  firstname: 'Ada',
  lastname: 'Lovelace',
  points: 120,
  tags: ['vip'],
};
const company = { id: 7, name: 'Analytical Engines Ltd', website: 'https://example.com' };

const SAMPLES: Record<string, Record<string, unknown>> = {
  'contact.identified': { contact },
  'contact.updated': { contact, changes: { points: [100, 120] } },
  'contact.deleted': { id: 42, contact },
  'contact.points_changed': { contact, points: { old_points: 100, new_points: 120 } },
  'contact.channel_subscription_changed': {
    contact,
    channel: 'email',
    old_status: 'contactable',
    new_status: 'unsubscribed',
  },
  'contact.segment_changed': { contact, segment: { id: 3, name: 'Newsletter' }, action: 'added' },
  'contact.company_changed': { contact, company, action: 'added' },
  'company.saved': { company },
  'company.deleted': { id: 7, company },
  'form.submitted': {
    submission: {
      id: 1001,
      form: { id: 3, name: 'Contact us' },
      results: { email: contact.email, message: 'Hello' },
    },
    contact,
  },
  'email.sent': { email: { id: 5, subject: 'Welcome' }, contact },
  'email.opened': {
    stat: { email: { id: 5, subject: 'Welcome' }, dateRead: '2026-01-01T00:00:00+00:00' },
    contact,
  },
  'page.hit': { hit: { url: 'https://example.com/pricing', page: { id: 9, title: 'Pricing' } }, contact },
  'sms.sent': { sms: { id: 2, name: 'Reminder' }, contact, content: 'See you tomorrow' },
  'system.webhook_disabled': {
    webhook: { id: '00000000-0000-0000-0000-000000000000', name: 'crm', url: 'https://example.com/hook' },
    reason: 'receiver answered 410 Gone',
  },
};

export function samplePayload(type: string): Record<string, unknown> {
  return SAMPLES[type] ?? { contact };
}
