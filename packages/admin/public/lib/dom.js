// @ts-check
// Building the page: all text reaches it through textContent (see `h`), so stored values cannot
// inject markup.

/** The page's frame (index.html): the screen's place, and the navigation shown once signed in. */
export const main = /** @type {HTMLElement} */ (document.getElementById('main'));
export const nav = /** @type {HTMLElement} */ (document.getElementById('nav'));

/** Builds an element; children are nodes or strings (set as text, never as HTML). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else if (name in el && typeof value !== 'string') el[name] = value;
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(typeof child === 'string' || typeof child === 'number' ? String(child) : child);
  }
  return el;
}

export function show(...nodes) {
  main.replaceChildren(...nodes);
}

/**
 * `show` for a page render that started at `hash`: when the admin has moved on meanwhile (a slow
 * render finishing after a faster one), it shows nothing, so an older page never covers a newer one.
 */
export function screenFor(hash) {
  return (...nodes) => {
    if (location.hash === hash) show(...nodes);
  };
}

export function notice(text, isError = false) {
  const el = h('p', { class: isError ? 'notice error' : 'notice', role: 'status' }, text);
  main.prepend(el);
  return el;
}

export function select(name, options, value) {
  return h(
    'select',
    { id: name, name },
    options.map(([v, label]) => h('option', { value: v, selected: v === (value ?? '') }, label)),
  );
}

/** A label, its control, and the place (hidden while empty) for the API's message about it. */
export function field(label, control) {
  return [
    h('label', { for: control.id }, label),
    control,
    h('p', { class: 'field-error', id: `error-${control.id}`, role: 'alert' }),
  ];
}
