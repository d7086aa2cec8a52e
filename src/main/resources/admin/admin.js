'use strict';
// The owner's pages: sign in with the business's admin token (kept in this tab only); the
// Set-up page shows whether Twilio reaches this server, connects a line's number and places a
// test call from it.
(function () {
  const TOKEN = 'ringback.admin-token';
  const $ = (id) => document.getElementById(id);

  // Every word the page shows: one table, so no API code reaches the screen.
  const WORDS = {
    // a check's result
    result: { pass: 'OK', fail: 'Needs fixing', skipped: 'Not checked' },
    // the checks of GET /api/setup
    check: {
      public_url: 'Public URL', credentials: 'Twilio credentials', number_in_account: 'Number in the Twilio account',
      webhooks: 'Webhooks (calls, call progress, texts)',
    },
    // what Connect changes on a Twilio number
    field: {
      voice_url: '"A call comes in": URL', voice_method: '"A call comes in": method',
      status_callback: '"Call status changes": URL', status_callback_method: '"Call status changes": method',
      sms_url: '"A message comes in": URL', sms_method: '"A message comes in": method',
      voice_application_sid: 'Voice application (overrides the call URL)',
      sms_application_sid: 'Messaging application (overrides the text URL)',
    },
    column: { found: 'What was found', fix: 'What to do', field: 'Field', now: 'Now', wanted: 'Will be' },
    text: {
      refused: 'That token was not accepted. Check that you copied all of it, and try again.',
      agent: "This is an agent's token; agents use /console. Sign in here with the business's admin token.",
      ended: 'Your session has ended: the admin token was replaced. Please sign in again with the new token.',
      business: (slug) => 'Business: ' + slug,
      checking: 'Checking…',
      checked: (at) => 'Checked at ' + at + '.',
      failed: (why) => 'The check could not be made: ' + why,
      line: (id, number) => 'Line ' + id + ' · ' + number,
      lineChecks: (id) => 'Checks of line ' + id,
      connect: 'Connect',
      cancel: 'Cancel',
      confirm: 'Connect',
      loadingChanges: 'Asking Twilio what Connect would change…',
      changesTitle: (number) => 'What Connect changes on ' + number + ' at Twilio',
      noChanges: 'Nothing to change: the number points here already.',
      notSet: '(not set)',
      // a number's setting that Connect would change, as found
      setTo: (field, now) => field + ' is ' + (now ? now : 'not set'),
      cleared: '(none)',
      connecting: 'Connecting…',
      connected: (number) => number + ' is connected: its calls, call progress and texts come to this server.',
      notConnected: (why) => 'Not connected: ' + why,
      testTitle: 'Test call',
      testLabel: (number) => 'Your phone, to be called from ' + number,
      testButton: 'Call me',
      calling: (to) => 'Calling ' + to + '… Answer it to hear the line\'s greeting.',
      notCalled: (why) => 'Not called: ' + why,
      error: (status) => 'the server answered ' + status,
    },
  };

  /** The word for an API code; a code the table lacks still reads as words. */
  function word(kind, code) {
    if (code === null || code === undefined || code === '') { return ''; }
    const table = WORDS[kind] || {};
    return Object.prototype.hasOwnProperty.call(table, code) ? table[code] : String(code).replace(/_/g, ' ');
  }

  // The token being tried at sign-in, before it is known to be an admin's.
  let trying = null;

  function token() { return trying || sessionStorage.getItem(TOKEN); }

  class SignedOut extends Error {}

  async function api(method, path, body) {
    const response = await fetch(path, {
      method,
      headers: Object.assign({ Authorization: 'Bearer ' + token() }, body ? { 'Content-Type': 'application/json' } : {}),
      body: body ? JSON.stringify(body) : undefined,
    });
    if (response.status === 401 || (response.status === 403 && trying)) {
      signOut(response.status === 403 ? WORDS.text.agent : trying ? WORDS.text.refused : WORDS.text.ended);
      throw new SignedOut();
    }
    const text = await response.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
    if (!response.ok) {
      throw new Error((data && data.error) || WORDS.text.error(response.status));
    }
    return data;
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

  function signOut(message) {
    trying = null;
    sessionStorage.removeItem(TOKEN);
    $('who').hidden = true;
    $('pages').hidden = true;
    $('set-up').hidden = true;
    $('general').tBodies[0].replaceChildren();
    $('lines').replaceChildren();
    $('login').hidden = false;
    say($('login-message'), message, 'error');
    $('token').value = '';
    $('token').focus();
  }

  function signedIn(setup) {
    if (trying) {
      sessionStorage.setItem(TOKEN, trying);
      trying = null;
    }
    $('login').hidden = true;
    say($('login-message'), '');
    $('business').textContent = WORDS.text.business(setup.business);
    $('who').hidden = false;
    $('pages').hidden = false;
    $('set-up').hidden = false;
  }

  // One check as a table row: its name, its state in words, what was found and what to do.
  function checkRow(kind, check, action, found) {
    const row = element('tr', 'check ' + check.result);
    row.dataset.check = kind;
    const name = element('th', null, word('check', kind));
    name.scope = 'row';
    const state = element('td');
    state.appendChild(element('span', 'state ' + check.result, word('result', check.result)));
    const detail = element('td', 'detail', found || check.detail || '');
    detail.dataset.label = WORDS.column.found;
    const fix = element('td', 'fix', check.fix || '');
    if (check.fix) { fix.dataset.label = WORDS.column.fix; }
    if (action) { fix.appendChild(element('div', 'actions')).appendChild(action); }
    row.append(name, state, detail, fix);
    return row;
  }

  // The checks' tables share their columns' widths, so they read as one.
  function columns() {
    const group = element('colgroup');
    ['check', 'state', 'found', 'fix'].forEach((name) => { group.appendChild(element('col', 'col-' + name)); });
    return group;
  }

  function changesTable(changes) {
    const table = element('table');
    const head = element('tr');
    [WORDS.column.field, WORDS.column.now, WORDS.column.wanted].forEach((title) => {
      const th = element('th', null, title);
      th.scope = 'col';
      head.appendChild(th);
    });
    table.appendChild(element('thead')).appendChild(head);
    const body = table.appendChild(element('tbody'));
    changes.forEach((c) => {
      const row = body.appendChild(element('tr'));
      row.dataset.field = c.field;
      const name = element('th', null, word('field', c.field));
      name.scope = 'row';
      const now = element('td', null, c.now || WORDS.text.notSet);
      now.dataset.label = WORDS.column.now;
      const wanted = element('td', null, c.wanted || WORDS.text.cleared);
      wanted.dataset.label = WORDS.column.wanted;
      row.append(name, now, wanted);
    });
    return table;
  }

  // Connect: first what it would change, then, confirmed, the change and the check again.
  function connectButton(line, panel, message) {
    const button = element('button', 'connect-start primary', WORDS.text.connect);
    button.type = 'button';
    button.addEventListener('click', async () => {
      button.disabled = true;
      say(message, WORDS.text.loadingChanges);
      try {
        const preview = await api('GET', '/api/lines/' + encodeURIComponent(line.line) + '/connect');
        say(message, '');
        showChanges(line, preview, panel, message, button);
      } catch (e) {
        if (e instanceof SignedOut) { return; }
        button.disabled = false;
        say(message, WORDS.text.notConnected(e.message), 'error');
      }
    });
    return button;
  }

  function showChanges(line, preview, panel, message, button) {
    const title = element('h4', null, WORDS.text.changesTitle(line.number));
    title.tabIndex = -1;
    const parts = [title];
    if (preview.changes.length) {
      parts.push(changesTable(preview.changes));
    } else {
      parts.push(element('p', null, WORDS.text.noChanges));
    }
    const actions = element('div', 'actions');
    const confirm = element('button', 'connect-confirm primary', WORDS.text.confirm);
    confirm.type = 'button';
    const cancel = element('button', 'connect-cancel', WORDS.text.cancel);
    cancel.type = 'button';
    actions.append(confirm, cancel);
    parts.push(actions);
    panel.replaceChildren(...parts);
    panel.hidden = false;
    title.focus();

    cancel.addEventListener('click', () => {
      panel.hidden = true;
      panel.replaceChildren();
      button.disabled = false;
      button.focus();
    });
    confirm.addEventListener('click', async () => {
      confirm.disabled = true;
      cancel.disabled = true;
      say(message, WORDS.text.connecting);
      try {
        await api('POST', '/api/lines/' + encodeURIComponent(line.line) + '/connect');
        await check(WORDS.text.connected(line.number));
        $('set-up-title').focus();
      } catch (e) {
        if (e instanceof SignedOut) { return; }
        confirm.disabled = false;
        cancel.disabled = false;
        say(message, WORDS.text.notConnected(e.message), 'error');
      }
    });
  }

  function testCallForm(line, index) {
    const form = element('form', 'test-call');
    form.appendChild(element('h4', null, WORDS.text.testTitle));
    const label = element('label', null, WORDS.text.testLabel(line.number));
    label.htmlFor = 'test-to-' + index;
    const field = element('div', 'field');
    const input = element('input');
    input.id = 'test-to-' + index;
    input.type = 'tel';
    input.autocomplete = 'tel';
    input.required = true;
    input.maxLength = 30;
    const button = element('button', null, WORDS.text.testButton);
    button.type = 'submit';
    field.append(input, button);
    const message = element('p', 'message');
    message.setAttribute('role', 'status');
    form.append(label, field, message);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      button.disabled = true;
      say(message, '');
      try {
        const placed = await api('POST', '/api/lines/' + encodeURIComponent(line.line) + '/test-call', { to: input.value });
        say(message, WORDS.text.calling(placed.to), 'ok');
      } catch (e) {
        if (e instanceof SignedOut) { return; }
        say(message, WORDS.text.notCalled(e.message), 'error');
      } finally {
        button.disabled = false;
      }
    });
    return form;
  }

  function lineSection(line, index) {
    const section = element('div', 'line');
    section.dataset.line = line.line;
    const title = element('h3', null, WORDS.text.line(line.line, line.number));
    title.id = 'line-title-' + index;
    const message = element('p', 'message');
    message.setAttribute('role', 'status');
    const panel = element('div', 'connect');
    panel.hidden = true;
    const table = element('table', 'checks');
    table.setAttribute('aria-labelledby', title.id);
    table.appendChild(columns());
    const body = table.appendChild(element('tbody'));
    body.appendChild(checkRow('number_in_account', line.number_in_account));
    const fails = line.webhooks.result === 'fail';
    // The API names the settings by their codes: they are said here in words.
    const found = fails && line.changes.length
      ? line.changes.map((c) => WORDS.text.setTo(word('field', c.field), c.now)).join('; ') : null;
    body.appendChild(checkRow('webhooks', line.webhooks, fails ? connectButton(line, panel, message) : null, found));
    section.append(title, table, message, panel, testCallForm(line, index));
    return section;
  }

  function draw(setup) {
    const general = $('general').tBodies[0];
    general.replaceChildren(checkRow('public_url', setup.public_url), checkRow('credentials', setup.credentials));
    $('lines').replaceChildren(...setup.lines.map(lineSection));
  }

  /** Runs the check and draws it; {@code done} is said once it is drawn. */
  async function check(done) {
    const button = $('check-again');
    button.disabled = true;
    say($('setup-message'), WORDS.text.checking);
    try {
      const setup = await api('GET', '/api/setup');
      signedIn(setup);
      draw(setup);
      say($('setup-message'), done || WORDS.text.checked(new Date().toLocaleTimeString()), done ? 'ok' : '');
    } catch (e) {
      if (e instanceof SignedOut) { return; }
      say($('setup-message'), WORDS.text.failed(e.message), 'error');
      if (trying) { signOut(WORDS.text.failed(e.message)); }
    } finally {
      button.disabled = false;
    }
  }

  $('login-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    trying = $('token').value.trim();
    say($('login-message'), WORDS.text.checking);
    await check();
    if (!$('set-up').hidden) { $('set-up-title').focus(); }
  });
  $('logout').addEventListener('click', () => signOut(''));
  $('check-again').addEventListener('click', () => check());

  if (token()) { check(); } else { signOut(''); }
}());
