'use strict';
// The Agents page: the business's agents with their numbers for today; the owner creates one
// (its token shown once, with a copy button), edits their lines and role, sets their presence,
// gives them a new token or revokes it, and deletes them.
(function (admin) {
  const { $, api, element, say, word, field, SignedOut } = admin;
  const signedInNow = admin.signedIn;
  const WORDS = admin.words({
    // agents.presence, as the API accepts it
    presence: { available: 'Available', busy: 'Busy', offline: 'Offline', away: 'Away' },
    // agents.role
    role: { agent: 'Agent', supervisor: 'Supervisor' },
    agents: {
      none: '—',
      noAgents: 'No agents yet. Create the first one below.',
      failed: (why) => 'The agents could not be loaded: ' + why,
      day: (day, zone) => "Today's numbers are for " + day + ' in ' + zone + ", the business's time zone.",
      date: (day) => new Intl.DateTimeFormat('en-US', { weekday: 'long', month: 'long', day: 'numeric', year: 'numeric', timeZone: 'UTC' })
        .format(new Date(day + 'T12:00:00Z')),
      noDay: "Today's numbers could not be loaded.",
      lines: (names) => 'Lines: ' + (names.length ? names.join(', ') : 'none'),
      line: (line) => (line.name && line.name !== line.id ? line.name + ' (' + line.id + ')' : line.id),
      revoked: 'Cannot sign in: token revoked',
      answered: 'Calls answered',
      serviceLevel: 'Service level',
      connected: 'Callbacks connected',
      feedback: 'Feedback average',
      percent: (share) => Math.round(share * 100) + '%',
      average: (value) => Number(value).toFixed(1),
      figures: (name) => name + "'s numbers today",
      presenceLabel: (name) => name + "'s presence",
      setPresence: 'Set',
      presenceSet: (name, presence) => name + ' is now ' + presence.toLowerCase() + '.',
      notSet: (why) => 'Presence not set: ' + why,
      edit: 'Edit',
      save: 'Save',
      cancel: 'Cancel',
      saved: (name) => name + ' is saved.',
      notSaved: (why) => 'Not saved: ' + why,
      rotate: 'New token',
      give: 'Give a token',
      rotateSure: (name) => "Make a new token for " + name + "? Their current token stops working at once and their open consoles are signed out.",
      rotateYes: 'Yes, make a new token',
      notRotated: (why) => 'No new token: ' + why,
      revoke: 'Revoke token',
      revokeSure: (name) => 'Revoke ' + name + "'s token? They are signed out at once and cannot sign in until you give them a new token.",
      revokeYes: 'Yes, revoke it',
      revokedNow: (name) => name + "'s token is revoked: they can no longer sign in.",
      notRevoked: (why) => 'Not revoked: ' + why,
      remove: 'Delete',
      removeSure: (name) => 'Delete ' + name + '? Their token stops working, and calls no longer ring them.',
      removeYes: 'Yes, delete',
      keep: 'Keep',
      removed: (name) => name + ' is deleted.',
      notRemoved: (why) => 'Not deleted: ' + why,
      // the form
      name: 'Name',
      contact: 'Phone number or SIP address',
      contactHint: 'What Ringback calls to reach them: a phone number such as +1 415 555 0100, or a SIP address such as sip:ana@example.sip.twilio.com.',
      roleLabel: 'Role',
      roleHint: 'A supervisor also takes the service-recovery calls after a poor score.',
      linesLegend: 'Lines they take calls for',
      noLines: 'The business has no lines yet.',
      create: 'Create agent',
      created: (name) => name + ' is created.',
      notCreated: (why) => 'Not created: ' + why,
      // the token, shown once
      tokenLabel: (name) => name + "'s token",
      copy: 'Copy',
      copied: 'Copied.',
      selected: 'Selected: press Ctrl+C (⌘C on a Mac) to copy it.',
      once: (name) => 'This token will not be shown again: copy it now and give it to ' + name
        + '. They sign in with it at /console.',
      hide: 'I have copied it',
    },
  });
  const W = WORDS.agents;

  let lines = [];
  let loading = false;
  // A drawing asked for while one was under way: done after it, so nothing said is lost.
  let again = null;
  // The agent whose token is on screen, if any.
  let tokenOf = null;

  function lineName(id) {
    const line = lines.find((l) => l.id === id);
    return W.line(line || { id });
  }

  function button(className, text, type) {
    const b = element('button', className, text);
    b.type = type || 'button';
    return b;
  }

  function dash(value, written) {
    return value === null || value === undefined ? W.none : written(value);
  }

  // ---- The token, shown once: after creating an agent or making them a new token.

  function showToken(agent, token) {
    const name = agent.name;
    tokenOf = agent.id;
    const box = $('agent-token');
    const input = element('input');
    input.readOnly = true;
    input.value = token;
    input.spellcheck = false;
    input.autocomplete = 'off';
    const copy = button('primary copy', W.copy);
    const said = element('p', 'message');
    said.setAttribute('role', 'status');
    const row = element('div', 'field');
    const labelled = field('agent-token-value', W.tokenLabel(name), input);
    row.append(input, copy);
    labelled.appendChild(row);
    const hide = button('hide', W.hide);
    const actions = element('div', 'actions');
    actions.appendChild(hide);
    copy.addEventListener('click', async () => {
      try {
        if (!navigator.clipboard || !window.isSecureContext) { throw new Error('no clipboard'); }
        await navigator.clipboard.writeText(input.value);
        say(said, W.copied, 'ok');
      } catch {
        // Without the clipboard (or its permission), the token is selected for the keyboard's copy.
        input.focus();
        input.select();
        say(said, W.selected, 'quiet');
      }
    });
    hide.addEventListener('click', () => {
      hideToken();
      $('agents-title').focus();
    });
    box.replaceChildren(labelled, element('p', 'once', W.once(name)), said, actions);
    box.hidden = false;
    input.focus();
    input.select();
  }

  /** Takes the token off the screen; with an agent, only if it is theirs. */
  function hideToken(agentId) {
    if (agentId !== undefined && agentId !== tokenOf) { return; }
    tokenOf = null;
    const box = $('agent-token');
    box.replaceChildren();
    box.hidden = true;
  }

  // ---- The form's fields, for a new agent and for editing one.

  function agentFields(prefix, agent) {
    const name = element('input');
    name.type = 'text';
    name.required = true;
    name.maxLength = 200;
    name.autocomplete = 'off';
    name.value = agent ? agent.name : '';
    const contact = element('input');
    contact.type = 'text';
    contact.required = true;
    contact.maxLength = 256;
    contact.autocomplete = 'off';
    contact.spellcheck = false;
    contact.value = agent ? agent.contact : '';
    const contactHint = element('p', 'hint quiet', W.contactHint);
    contactHint.id = prefix + '-contact-hint';
    contact.setAttribute('aria-describedby', contactHint.id);
    const role = element('select');
    Object.keys(WORDS.role).forEach((code) => {
      const option = element('option', null, word('role', code));
      option.value = code;
      role.appendChild(option);
    });
    role.value = agent ? agent.role : 'agent';
    const roleHint = element('p', 'hint quiet', W.roleHint);
    roleHint.id = prefix + '-role-hint';
    role.setAttribute('aria-describedby', roleHint.id);

    const set = element('fieldset', 'line-choice');
    set.appendChild(element('legend', null, W.linesLegend));
    const boxes = lines.map((line) => {
      const box = element('input');
      box.type = 'checkbox';
      box.id = prefix + '-line-' + line.id;
      box.value = line.id;
      box.checked = agent ? agent.lines.includes(line.id) : true;
      const label = element('label', 'check', W.line(line));
      label.htmlFor = box.id;
      const item = element('div', 'check-row');
      item.append(box, label);
      set.appendChild(item);
      return box;
    });
    if (!boxes.length) { set.appendChild(element('p', 'quiet', W.noLines)); }

    const nameBox = field(prefix + '-name', W.name, name);
    const contactBox = field(prefix + '-contact', W.contact, contact);
    contactBox.appendChild(contactHint);
    const roleBox = field(prefix + '-role', W.roleLabel, role);
    roleBox.appendChild(roleHint);
    const grid = element('div', 'agent-fields');
    grid.append(nameBox, contactBox, roleBox);
    return {
      parts: [grid, set],
      first: name,
      read: () => ({
        name: name.value.trim(),
        contact: contact.value.trim(),
        role: role.value,
        lines: boxes.filter((b) => b.checked).map((b) => b.value),
      }),
    };
  }

  function newAgentForm() {
    const form = $('agent-new');
    const fields = agentFields('new-agent', null);
    const create = button('primary', W.create, 'submit');
    const said = element('p', 'message');
    said.setAttribute('role', 'status');
    const actions = element('div', 'actions');
    actions.appendChild(create);
    form.replaceChildren(...fields.parts, actions, said);
    form.onsubmit = async (event) => {
      event.preventDefault();
      create.disabled = true;
      say(said, '');
      const input = fields.read();
      try {
        const agent = await api('POST', '/api/agents', input);
        newAgentForm();
        await load(null, W.created(agent.name));
        showToken(agent, agent.token);
      } catch (e) {
        if (e instanceof SignedOut) { return; }
        say(said, W.notCreated(e.message), 'error');
        create.disabled = false;
      }
    };
  }

  // ---- One agent.

  function figures(agent, numbers) {
    const list = element('dl', 'figures');
    list.setAttribute('aria-label', W.figures(agent.name));
    // No calls, callbacks or scores today (or no numbers at all): dashes.
    const quiet = !numbers || (!numbers.calls_answered && !numbers.callbacks_connected && !numbers.feedback_count);
    const shown = (value, written) => (quiet ? W.none : dash(value, written));
    [
      [W.answered, shown(numbers && numbers.calls_answered, String)],
      [W.serviceLevel, shown(numbers && numbers.service_level, W.percent)],
      [W.connected, shown(numbers && numbers.callbacks_connected, String)],
      [W.feedback, shown(numbers && numbers.feedback_average, W.average)],
    ].forEach(([name, value]) => {
      const pair = element('div', 'figure');
      pair.append(element('dt', null, name), element('dd', null, value));
      list.appendChild(pair);
    });
    return list;
  }

  /** An inline confirmation: the question, then yes (which does it) and keep (which takes it back). */
  function confirmation(agent, kind, question, yesText, action) {
    const box = element('div', 'confirm ' + kind);
    box.hidden = true;
    const sure = element('p', null, question);
    sure.id = kind + '-sure-' + agent.id;
    const yes = button(kind + '-yes primary', yesText);
    yes.setAttribute('aria-describedby', sure.id);
    const keep = button(kind + '-keep', W.keep);
    const actions = element('div', 'actions');
    actions.append(yes, keep);
    box.append(sure, actions);
    let opener = null;
    box.open = (from) => {
      opener = from;
      box.hidden = false;
      from.disabled = true;
      keep.focus();
    };
    keep.addEventListener('click', () => {
      box.hidden = true;
      opener.disabled = false;
      opener.focus();
    });
    yes.addEventListener('click', async () => {
      yes.disabled = true;
      keep.disabled = true;
      const done = await action();
      if (!done) {
        yes.disabled = false;
        keep.disabled = false;
      }
    });
    return box;
  }

  function agentItem(agent, numbers) {
    const item = element('li', 'agent');
    item.dataset.agent = agent.id;
    const said = element('p', 'message');
    said.setAttribute('role', 'status');
    const failed = (text) => say(said, text, 'error');

    const head = element('div', 'agent-head');
    head.append(element('strong', 'name', agent.name), element('span', 'contact', agent.contact),
      element('span', 'role', word('role', agent.role)),
      element('span', 'state presence ' + agent.presence, word('presence', agent.presence)));
    if (!agent.can_sign_in) { head.appendChild(element('span', 'state revoked', W.revoked)); }
    const lineList = element('p', 'agent-lines', W.lines(agent.lines.map(lineName)));

    // Presence: a select of what the API accepts, and a button, so the keyboard's arrows set nothing.
    const presenceForm = element('form', 'presence-form');
    const select = element('select');
    Object.keys(WORDS.presence).forEach((code) => {
      const option = element('option', null, word('presence', code));
      option.value = code;
      select.appendChild(option);
    });
    select.value = agent.presence;
    const set = button('set-presence', W.setPresence, 'submit');
    const presenceBox = field('presence-' + agent.id, W.presenceLabel(agent.name), select);
    const presenceRow = element('div', 'field');
    presenceRow.append(select, set);
    presenceBox.appendChild(presenceRow);
    presenceForm.appendChild(presenceBox);
    presenceForm.addEventListener('submit', async (event) => {
      event.preventDefault();
      set.disabled = true;
      try {
        const changed = await api('PUT', '/api/agents/' + agent.id + '/presence', { presence: select.value });
        await load(agent.id, W.presenceSet(changed.name, word('presence', changed.presence)), '.set-presence');
      } catch (e) {
        if (e instanceof SignedOut) { return; }
        failed(W.notSet(e.message));
        set.disabled = false;
      }
    });

    const edit = button('edit', W.edit);
    const rotate = button('rotate', agent.can_sign_in ? W.rotate : W.give);
    const revoke = button('revoke', W.revoke);
    revoke.hidden = !agent.can_sign_in;
    const remove = button('delete', W.remove);
    const buttons = element('div', 'actions agent-buttons');
    buttons.append(edit, rotate, revoke, remove);

    const newToken = async () => {
      try {
        const issued = await api('POST', '/api/agents/' + agent.id + '/token');
        await load(agent.id, null);
        showToken(agent, issued.token);
        return true;
      } catch (e) {
        if (e instanceof SignedOut) { return true; }
        failed(W.notRotated(e.message));
        return false;
      }
    };
    const rotateSure = confirmation(agent, 'rotate', W.rotateSure(agent.name), W.rotateYes, newToken);
    const revokeSure = confirmation(agent, 'revoke', W.revokeSure(agent.name), W.revokeYes, async () => {
      try {
        await api('DELETE', '/api/agents/' + agent.id + '/token');
        hideToken(agent.id);
        await load(agent.id, W.revokedNow(agent.name), '.rotate');
        return true;
      } catch (e) {
        if (e instanceof SignedOut) { return true; }
        failed(W.notRevoked(e.message));
        return false;
      }
    });
    const removeSure = confirmation(agent, 'delete', W.removeSure(agent.name), W.removeYes, async () => {
      try {
        await api('DELETE', '/api/agents/' + agent.id);
        hideToken(agent.id);
        await load(null, W.removed(agent.name));
        $('agents-title').focus();
        return true;
      } catch (e) {
        if (e instanceof SignedOut) { return true; }
        failed(W.notRemoved(e.message));
        return false;
      }
    });
    // A revoked agent has no token to lose: theirs is made at once.
    rotate.addEventListener('click', () => (agent.can_sign_in ? rotateSure.open(rotate) : newToken()));
    revoke.addEventListener('click', () => revokeSure.open(revoke));
    remove.addEventListener('click', () => removeSure.open(remove));

    // Editing: the same fields as a new agent's, in place of the buttons.
    const editForm = element('form', 'agent-edit');
    editForm.hidden = true;
    edit.addEventListener('click', () => {
      const fields = agentFields('edit-' + agent.id, agent);
      const save = button('primary save', W.save, 'submit');
      const cancel = button('cancel-edit', W.cancel);
      const actions = element('div', 'actions');
      actions.append(save, cancel);
      editForm.replaceChildren(...fields.parts, actions);
      editForm.hidden = false;
      view.hidden = true;
      say(said, '');
      cancel.addEventListener('click', () => {
        editForm.hidden = true;
        editForm.replaceChildren();
        view.hidden = false;
        edit.focus();
      });
      editForm.onsubmit = async (event) => {
        event.preventDefault();
        save.disabled = true;
        try {
          const saved = await api('PUT', '/api/agents/' + agent.id, fields.read());
          await load(agent.id, W.saved(saved.name), '.edit');
        } catch (e) {
          if (e instanceof SignedOut) { return; }
          failed(W.notSaved(e.message));
          save.disabled = false;
        }
      };
      fields.first.focus();
    });

    const view = element('div', 'agent-view');
    view.append(presenceForm, buttons, rotateSure, revokeSure, removeSure);
    item.append(head, lineList, figures(agent, numbers), view, editForm, said);
    return item;
  }

  // ---- The list.

  /** Today's numbers by agent id, for the business's day; none when they cannot be had. */
  async function todaysNumbers() {
    try {
      const today = await api('GET', '/api/today');
      const query = new URLSearchParams({ from: today.day, to: today.day, tz: today.time_zone });
      const report = await api('GET', '/api/reports/agents?' + query.toString());
      say($('agents-day'), W.day(W.date(today.day), today.time_zone), 'quiet updated');
      const byAgent = new Map();
      report.items.forEach((numbers) => {
        if (numbers.agent_id !== null) { byAgent.set(numbers.agent_id, numbers); }
      });
      return byAgent;
    } catch (e) {
      if (e instanceof SignedOut) { throw e; }
      say($('agents-day'), W.noDay, 'quiet updated');
      return new Map();
    }
  }

  /**
   * Draws the agents again; {@code said} is told in the agent's place (or the page's), and the
   * focus goes to the agent's {@code focus} control, so the keyboard stays where it was.
   */
  async function load(agentId, said, focus) {
    if (!signedInNow()) { return; }
    if (loading) {
      again = [agentId, said, focus];
      return;
    }
    loading = true;
    try {
      const [agents, lineList, numbers] = await Promise.all([
        api('GET', '/api/agents'), api('GET', '/api/lines'), todaysNumbers(),
      ]);
      if (!signedInNow()) { return; }
      const linesChanged = JSON.stringify(lineList.items) !== JSON.stringify(lines);
      lines = lineList.items;
      if (linesChanged || !$('agent-new').children.length) { newAgentForm(); }
      const list = $('agent-list');
      list.replaceChildren(...agents.items.map((agent) => agentItem(agent, numbers.get(agent.id))));
      say($('agents-message'), agents.items.length ? '' : W.noAgents, 'quiet');
      const item = agentId === null ? null : list.querySelector("li.agent[data-agent='" + agentId + "']");
      if (said) {
        say(item ? item.querySelector('.message') : $('agents-said'), said, 'ok');
      }
      if (item && focus) {
        const control = item.querySelector(focus);
        if (control) { control.focus(); }
      }
    } catch (e) {
      if (e instanceof SignedOut) { return; }
      say($('agents-message'), W.failed(e.message), 'error');
    } finally {
      loading = false;
    }
    if (again) {
      const next = again;
      again = null;
      await load(...next);
    }
  }

  admin.page('agents', {
    show() {
      say($('agents-said'), '');
      load(null, null);
    },
    // The token is shown once: leaving the page takes it off the screen.
    hide() { hideToken(); },
    reset() {
      hideToken();
      again = null;
      lines = [];
      $('agent-list').replaceChildren();
      $('agent-new').replaceChildren();
      say($('agents-day'), '');
      say($('agents-message'), '');
      say($('agents-said'), '');
    },
  });
}(window.RingbackAdmin));
