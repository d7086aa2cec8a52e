'use strict';
// The owner's pages' frame: signing in with an admin token (kept in this tab only), the server
// admin's choice of business, the navigation between pages and what every page shares (the API,
// the words of its codes). Each page is a script of its own that registers itself here.
window.RingbackAdmin = (function () {
  const TOKEN = 'ringback.admin-token';
  const BUSINESS = 'ringback.admin-business';
  const $ = (id) => document.getElementById(id);

  // Every word the pages show: one table, so no API code reaches the screen; pages add theirs.
  const WORDS = {
    // callbacks.state
    state: {
      scheduled: 'Waiting', dialing: 'Being dialled', agent_queue: 'With the agents', done: 'Done',
      cancelled: 'Cancelled', expired: 'Given up', failed: 'Failed',
    },
    // callbacks.trigger: why the callback was promised
    trigger: {
      order: 'New order', missed: 'Missed call', abandoned: 'Hung up before an answer', dropped: 'Call cut short',
      voicemail: 'Voicemail', after_hours: 'Called after hours', scheduled: 'Asked for a time', manual: 'By hand',
      feedback: 'Poor score', text: 'Texted us',
    },
    // a task's reason: why a person calls back
    taskReason: {
      retries_exhausted: 'not reached by the automatic calls', voicemail: 'left a voicemail', asked_for_agent: 'asked for a person',
      no_agent_available: 'nobody was free', by_hand: 'given to them by hand', service_recovery: 'make it right after a poor score',
      text_reply: 'texted us: read their message',
    },
    // how an attempt or a callback ended
    outcome: {
      connected: 'connected', no_answer: 'no answer', busy: 'busy', machine: 'answering machine',
      no_agent: 'answered, but no agent was free', failed: 'the call failed', cancelled: 'cancelled',
      expired: 'not reached', api_error: 'the call could not be placed',
      agent_not_accepted: "the agent's phone was not answered",
    },
    // signing in and the frame
    text: {
      refused: 'That token was not accepted. Check that you copied all of it, and try again.',
      agent: "This is an agent's token; agents use /console. Sign in here with the business's admin token.",
      ended: 'Your session has ended: the admin token was replaced. Please sign in again with the new token.',
      business: (slug) => 'Business: ' + slug,
      error: (status) => 'the server answered ' + status,
      checking: 'Checking…',
      switchTo: 'Business',
      switchFailed: (why) => 'The businesses could not be listed: ' + why,
    },
  };

  function attemptsSaid(attempts) {
    const list = attempts || [];
    return list.length + (list.length === 1 ? ' attempt' : ' attempts')
      + (list.length ? ': ' + list.map((o) => word('outcome', o || 'no_answer')).join(', ') : '');
  }

  /** The word for an API code; a code the table lacks still reads as words. */
  function word(kind, code) {
    if (code === null || code === undefined || code === '') { return ''; }
    const table = WORDS[kind] || {};
    return Object.prototype.hasOwnProperty.call(table, code) ? table[code] : String(code).replace(/_/g, ' ');
  }

  /** Adds a page's words to the table, and answers the whole table. */
  function words(more) {
    Object.keys(more).forEach((kind) => {
      // Two pages with a table of the same name would say each other's words.
      if (Object.prototype.hasOwnProperty.call(WORDS, kind)) { throw new Error('the words of ' + kind + ' are named twice'); }
    });
    Object.assign(WORDS, more);
    return WORDS;
  }

  // The token being tried at sign-in, before it is known to be an admin's.
  let trying = null;

  function token() { return trying || sessionStorage.getItem(TOKEN); }

  /** The business the server admin chose, or null for the token's own. */
  function chosenBusiness() { return trying ? null : sessionStorage.getItem(BUSINESS); }

  class SignedOut extends Error {}

  /**
   * Calls the API with the token, about the chosen business unless {@code ownBusiness}, with
   * {@code more} headers if any (such as Accept); a refused token signs out. Answers the JSON (or
   * the text, when it is none), and throws an Error with the API's own words.
   */
  async function api(method, path, body, ownBusiness, more) {
    const headers = Object.assign({}, more, { Authorization: 'Bearer ' + token() });
    if (body) { headers['Content-Type'] = typeof body === 'string' ? 'text/csv; charset=utf-8' : 'application/json'; }
    const business = ownBusiness ? null : chosenBusiness();
    if (business) { headers['Ringback-Business'] = business; }
    const response = await fetch(path, {
      method, headers, body: body ? (typeof body === 'string' ? body : JSON.stringify(body)) : undefined,
    });
    if (response.status === 401) {
      signOut(trying ? WORDS.text.refused : WORDS.text.ended);
      throw new SignedOut();
    }
    const text = await response.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch { data = null; }
    if (!response.ok) {
      throw new Error((data && data.error) || WORDS.text.error(response.status));
    }
    return data === null && text ? text : data;
  }

  function element(tag, className, text) {
    const el = document.createElement(tag);
    if (className) { el.className = className; }
    if (text !== undefined) { el.textContent = text; }
    return el;
  }

  function say(el, text, kind) {
    el.textContent = text;
    el.className = 'message' + (kind ? ' ' + kind : '');
  }

  /** A labelled form field: the label, then the input (or select, or textarea) it names. */
  function field(id, label, control) {
    const box = element('div', 'field-box');
    const name = element('label', null, label);
    name.htmlFor = id;
    control.id = id;
    box.append(name, control);
    return box;
  }

  // ---- Pages: each script registers one; the address's #fragment names the page shown.

  const pages = new Map();
  let shown = null;

  /**
   * Registers a page: {@code show()} when it comes into view (and again after the business
   * changes), {@code hide()} when another page does, {@code reset()} on signing out or
   * switching business, so nothing of one business stays on screen for another.
   */
  function page(name, handlers) {
    pages.set(name, Object.assign({ show() {}, hide() {}, reset() {} }, handlers));
  }

  function currentPage() {
    const name = location.hash.slice(1);
    return pages.has(name) ? name : 'today';
  }

  function showPage() {
    const name = currentPage();
    if (shown && shown !== name) { pages.get(shown).hide(); }
    pages.forEach((handlers, page) => { $(page).hidden = page !== name; });
    document.querySelectorAll('#pages a[data-page]').forEach((link) => {
      if (link.dataset.page === name) {
        link.setAttribute('aria-current', 'page');
      } else {
        link.removeAttribute('aria-current');
      }
    });
    shown = name;
    pages.get(name).show();
  }

  function signedInNow() { return !$('pages').hidden; }

  window.addEventListener('hashchange', () => {
    if (!signedInNow()) { return; }
    showPage();
    $(currentPage() + '-title').focus();
  });

  function resetPages() {
    if (shown) { pages.get(shown).hide(); }
    shown = null;
    pages.forEach((handlers) => handlers.reset());
  }

  function signOut(message) {
    trying = null;
    sessionStorage.removeItem(TOKEN);
    sessionStorage.removeItem(BUSINESS);
    $('who').hidden = true;
    $('pages').hidden = true;
    pages.forEach((handlers, page) => { $(page).hidden = true; });
    resetPages();
    $('switch').hidden = true;
    $('business-choice').replaceChildren();
    $('login').hidden = false;
    say($('login-message'), message, 'error');
    $('token').value = '';
    $('token').focus();
  }

  /** The server admin chooses the business the pages are about. */
  async function offerBusinesses(me) {
    const choice = $('business-choice');
    if (me.role !== 'server_admin') {
      $('switch').hidden = true;
      return;
    }
    try {
      const all = await api('GET', '/api/businesses', null, true);
      choice.replaceChildren(...all.items.map((b) => {
        const option = element('option', null, b.name + ' (' + b.slug + ')');
        option.value = b.slug;
        return option;
      }));
      choice.value = me.business;
      $('switch').hidden = false;
    } catch (e) {
      if (e instanceof SignedOut) { return; }
      $('switch').hidden = true;
      say($('login-message'), WORDS.text.switchFailed(e.message), 'error');
    }
  }

  /** Asks the API who the token is; an admin's (or the server admin's) is signed in. */
  async function signIn() {
    let me;
    try {
      me = await api('GET', '/api/me');
    } catch (e) {
      if (e instanceof SignedOut) { return; }
      if (chosenBusiness()) {
        // The chosen business is gone: back to the token's own.
        sessionStorage.removeItem(BUSINESS);
        await signIn();
        return;
      }
      signOut(e.message);
      return;
    }
    if (me.role !== 'admin' && me.role !== 'server_admin') {
      signOut(WORDS.text.agent);
      return;
    }
    if (trying) {
      sessionStorage.setItem(TOKEN, trying);
      trying = null;
    }
    $('login').hidden = true;
    say($('login-message'), '');
    $('business').textContent = WORDS.text.business(me.business);
    $('who').hidden = false;
    await offerBusinesses(me);
    $('pages').hidden = false;
    showPage();
  }

  $('login-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    trying = $('token').value.trim();
    say($('login-message'), WORDS.text.checking);
    await signIn();
    if (signedInNow()) { $(currentPage() + '-title').focus(); }
  });
  $('logout').addEventListener('click', () => signOut(''));
  $('business-choice').addEventListener('change', async () => {
    sessionStorage.setItem(BUSINESS, $('business-choice').value);
    resetPages();
    await signIn();
  });

  // Runs once every page's script has registered.
  window.addEventListener('DOMContentLoaded', () => {
    if (token()) { signIn(); } else { signOut(''); }
  });

  return {
    $, api, element, say, field, word, words, attemptsSaid, page, SignedOut,
    signedIn: signedInNow,
    current: currentPage,
  };
}());
