// @ts-check
// Pieces every screen uses: labelled fields, selects, and loading what a screen shows.
import { ApiFailure } from './api.js';
import { clearNotices, FieldError, notice } from './messages.js';
import { html, useEffect, useState } from './ui.js';

/** A label, its control, and the place for the API's message about it. */
export function Field({ label, id, children }) {
  return html`<label for=${id}>${label}</label>${children}<${FieldError} id=${id} />`;
}

/** A select of `[value, label]` options, `value` selected. */
export function Select({ id, options, value, onChange = undefined }) {
  return html`<select id=${id} name=${id} onChange=${onChange}>
    ${options.map(([v, label]) => html`<option value=${v} selected=${v === (value ?? '')}>${label}</option>`)}
  </select>`;
}

/** A table of `rows` under `heads`, or one row saying `empty` when there are none. */
export function Table({ id, heads, rows, empty }) {
  return html`<table id=${id}>
    <thead>
      <tr>
        ${heads.map((t) => html`<th>${t}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${
        rows.length
          ? rows
          : html`<tr>
              <td colspan=${heads.length}>${empty}</td>
            </tr>`
      }
    </tbody>
  </table>`;
}

export const errorText = (err) => (err instanceof ApiFailure ? err.message : `Unexpected error: ${err}`);

/**
 * What a screen shows, loaded by `load` (again when `deps` change), and `reload`, which clears the
 * notices and loads it again (the screen shows what it had until the new figures arrive). A
 * failure is a notice; `data` stays undefined.
 * @template T
 * @param {() => Promise<T>} load
 * @returns {[{ data?: T, error?: unknown }, () => void]}
 */
export function useLoaded(load, deps = []) {
  const [version, setVersion] = useState(0);
  const [state, setState] = useState(/** @type {{ data?: T, error?: unknown }} */ ({}));
  useEffect(() => {
    let live = true;
    load().then(
      (data) => live && setState({ data }),
      (error) => {
        if (!live) return;
        setState({ error });
        notice(errorText(error), true);
      },
    );
    return () => void (live = false);
  }, [...deps, version]);
  return [
    state,
    () => {
      clearNotices();
      setVersion((v) => v + 1);
    },
  ];
}

/** What a screen shows while its figures load, or after they failed to. */
export function Waiting({ error }) {
  return error ? html`<h1>Hookline</h1>` : html`<p class="loading">Loading…</p>`;
}
