// @ts-check
// Messages for the admin: notices above the screen, and the API's validation messages beside the
// fields they are about. Each is a small store its component subscribes to, so showing one
// re-renders only that message, never a form being filled in.
import { html, useEffect, useState } from './ui.js';

/** @template T */
function store(/** @type {T} */ initial) {
  let value = initial;
  const listeners = new Set();
  return {
    get: () => value,
    set(/** @type {T} */ next) {
      value = next;
      for (const listener of listeners) listener(value);
    },
    /** The value, kept current in a component. */
    use() {
      const [current, setCurrent] = useState(value);
      useEffect(() => {
        listeners.add(setCurrent);
        setCurrent(value);
        return () => void listeners.delete(setCurrent);
      }, []);
      return current;
    },
  };
}

/** @typedef {{ key: number, text: string, isError: boolean, id?: string }} Notice */
const notices = store(/** @type {Notice[]} */ ([]));
let nextKey = 0;

/**
 * Shows a notice above the screen, newest first; `id` names it for whoever reads the page.
 * @param {string} text
 * @param {boolean} [isError]
 * @param {string} [id]
 */
export function notice(text, isError = false, id) {
  notices.set([{ key: nextKey++, text, isError, id }, ...notices.get()]);
}

export function clearNotices() {
  notices.set([]);
}

export function Notices() {
  return notices
    .use()
    .map(
      (n) =>
        html`<p key=${n.key} class=${n.isError ? 'notice error' : 'notice'} role="status" id=${n.id}>
          ${n.text}
        </p>`,
    );
}

const fieldErrors = store(/** @type {Record<string, string>} */ ({}));

/** Which control an API detail path (`urls.1`, `headers.X-Foo`, `trigger.words`) is about. */
const CONTROL_FOR = { urls: 'url', trigger: 'triggerWords' };

/**
 * Puts each of the API's validation messages (`details: [{path, message}]`) beside its field and
 * clears the others; returns whether any was placed.
 */
export function showFieldErrors(details, controls) {
  /** @type {Record<string, string>} */
  const byControl = {};
  for (const d of details) {
    const key = String(d.path ?? '').split('.')[0];
    const control = CONTROL_FOR[key] ?? key;
    if (!controls.includes(control)) continue;
    byControl[control] = byControl[control] ? `${byControl[control]}; ${d.message}` : d.message;
  }
  fieldErrors.set(byControl);
  return Object.keys(byControl).length > 0;
}

/** The place (empty until the API says something about it) for a control's message. */
export function FieldError({ id }) {
  const message = fieldErrors.use()[id] ?? '';
  return html`<p class="field-error" id=${`error-${id}`} role="alert">${message}</p>`;
}
