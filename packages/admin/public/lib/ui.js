// @ts-check
// The UI library: preact, written with htm's tagged templates instead of JSX, so the browser runs
// these modules as they are (no build step). htm's standalone module (preact, its hooks and htm in
// one file with no imports of its own) is served at /admin/vendor/htm/ (admin-routes.ts). Text
// reaches the page as text: a stored value cannot inject markup.
// @ts-expect-error -- a URL the server maps into node_modules/htm; typed below by the packages' types
import * as standalone from '../vendor/htm/standalone.module.js';

/** @type {typeof import('htm/preact') & typeof import('preact/hooks')} */
const ui = standalone;

export const { html, render, useEffect, useRef, useState } = ui;
