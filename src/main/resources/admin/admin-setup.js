'use strict';
// The Set-up page: whether Twilio reaches this server, step by step, with the fix for each step
// that fails; it connects a line's number and places a test call from it.
(function (admin) {
  const { $, api, element, say, word, SignedOut } = admin;
  const WORDS = admin.words({
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
    setup: {
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
    },
  });

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
      const now = element('td', null, c.now || WORDS.setup.notSet);
      now.dataset.label = WORDS.column.now;
      const wanted = element('td', null, c.wanted || WORDS.setup.cleared);
      wanted.dataset.label = WORDS.column.wanted;
      row.append(name, now, wanted);
    });
    return table;
  }

  // Connect: first what it would change, then, confirmed, the change and the check again.
  function connectButton(line, panel, message) {
    const button = element('button', 'connect-start primary', WORDS.setup.connect);
    button.type = 'button';
    button.addEventListener('click', async () => {
      button.disabled = true;
      say(message, WORDS.setup.loadingChanges);
      try {
        const preview = await api('GET', '/api/lines/' + encodeURIComponent(line.line) + '/connect');
        say(message, '');
        showChanges(line, preview, panel, message, button);
      } catch (e) {
        if (e instanceof SignedOut) { return; }
        button.disabled = false;
        say(message, WORDS.setup.notConnected(e.message), 'error');
      }
    });
    return button;
  }

  function showChanges(line, preview, panel, message, button) {
    const title = element('h4', null, WORDS.setup.changesTitle(line.number));
    title.tabIndex = -1;
    const parts = [title];
    if (preview.changes.length) {
      parts.push(changesTable(preview.changes));
    } else {
      parts.push(element('p', null, WORDS.setup.noChanges));
    }
    const actions = element('div', 'actions');
    const confirm = element('button', 'connect-confirm primary', WORDS.setup.confirm);
    confirm.type = 'button';
    const cancel = element('button', 'connect-cancel', WORDS.setup.cancel);
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
      say(message, WORDS.setup.connecting);
      try {
        await api('POST', '/api/lines/' + encodeURIComponent(line.line) + '/connect');
        await check(WORDS.setup.connected(line.number));
        $('set-up-title').focus();
      } catch (e) {
        if (e instanceof SignedOut) { return; }
        confirm.disabled = false;
        cancel.disabled = false;
        say(message, WORDS.setup.notConnected(e.message), 'error');
      }
    });
  }

  function testCallForm(line, index) {
    const form = element('form', 'test-call');
    form.appendChild(element('h4', null, WORDS.setup.testTitle));
    const label = element('label', null, WORDS.setup.testLabel(line.number));
    label.htmlFor = 'test-to-' + index;
    const field = element('div', 'field');
    const input = element('input');
    input.id = 'test-to-' + index;
    input.type = 'tel';
    input.autocomplete = 'tel';
    input.required = true;
    input.maxLength = 30;
    const button = element('button', null, WORDS.setup.testButton);
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
        say(message, WORDS.setup.calling(placed.to), 'ok');
      } catch (e) {
        if (e instanceof SignedOut) { return; }
        say(message, WORDS.setup.notCalled(e.message), 'error');
      } finally {
        button.disabled = false;
      }
    });
    return form;
  }

  function lineSection(line, index) {
    const section = element('div', 'line');
    section.dataset.line = line.line;
    const title = element('h3', null, WORDS.setup.line(line.line, line.number));
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
      ? line.changes.map((c) => WORDS.setup.setTo(word('field', c.field), c.now)).join('; ') : null;
    body.appendChild(checkRow('webhooks', line.webhooks, fails ? connectButton(line, panel, message) : null, found));
    section.append(title, table, message, panel, testCallForm(line, index));
    return section;
  }

  function draw(setup) {
    const general = $('general').tBodies[0];
    general.replaceChildren(checkRow('public_url', setup.public_url), checkRow('credentials', setup.credentials));
    $('setup-lines').replaceChildren(...setup.lines.map(lineSection));
  }

  /** Runs the check and draws it; {@code done} is said once it is drawn. */
  async function check(done) {
    const button = $('check-again');
    button.disabled = true;
    say($('setup-message'), WORDS.setup.checking);
    try {
      const setup = await api('GET', '/api/setup');
      draw(setup);
      say($('setup-message'), done || WORDS.setup.checked(new Date().toLocaleTimeString()), done ? 'ok' : '');
    } catch (e) {
      if (e instanceof SignedOut) { return; }
      say($('setup-message'), WORDS.setup.failed(e.message), 'error');
    } finally {
      button.disabled = false;
    }
  }

  $('check-again').addEventListener('click', () => check());

  admin.page('set-up', {
    show() { check(); },
    reset() {
      $('general').tBodies[0].replaceChildren();
      $('setup-lines').replaceChildren();
      say($('setup-message'), '');
    },
  });
}(window.RingbackAdmin));
