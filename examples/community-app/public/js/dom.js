/** Small DOM helpers: the page has no framework, and builds everything with textContent (never innerHTML). */

export const $ = (id) => document.getElementById(id);

/** `h('a', { href, class: 'x', onclick }, 'text', child)` */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') element.className = value;
    else if (key.startsWith('on')) element.addEventListener(key.slice(2), value);
    else if (key === 'dataset') Object.assign(element.dataset, value);
    else element.setAttribute(key, value === true ? '' : value);
  }
  element.append(...children.flat().filter((child) => child !== null && child !== undefined && child !== false));
  return element;
}

/** A member's thumbnail, or their initial when they have no photo. */
export function avatar(url, name, size = '') {
  const classes = `avatar ${size}`.trim();
  if (url) return h('img', { class: classes, src: url, alt: name ? `Photo of ${name}` : '', loading: 'lazy' });
  return h('div', { class: `${classes} placeholder`, 'aria-hidden': 'true' }, (name || '?').trim().charAt(0).toUpperCase());
}

let toastTimer;
/** A short message at the bottom of the screen. */
export function toast(text, { error = false } = {}) {
  const element = $('status');
  element.textContent = text;
  element.classList.toggle('error', error);
  element.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => {
    element.hidden = true;
  }, 4000);
}

/** Wraps an event handler: prevents the default, shows failures as a toast, disables the form's button meanwhile. */
export function action(fn) {
  return async (event) => {
    event?.preventDefault();
    const button = event?.submitter ?? (event?.currentTarget instanceof HTMLButtonElement ? event.currentTarget : null);
    if (button) button.disabled = true;
    try {
      await fn(event);
    } catch (error) {
      toast(error.message, { error: true });
    } finally {
      if (button) button.disabled = false;
    }
  };
}
