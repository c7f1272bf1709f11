/**
 * The Settings form. Main checks every change with the same validator that loads config.toml
 * and returns its message, which names the key; the form shows it next to the field.
 */
import type { SettingsCheck, SettingsLoad } from '../src/shared/ipc.js';
import { api, errorText } from './api.js';
import { byId, h, mount } from './dom.js';
import type { Ui } from './main.js';
import { GROUPS } from './settings-fields.js';
import { group, type FormModel } from './settings-form.js';
import { guide } from './settings-guide.js';

interface FormState extends FormModel {
  result: SettingsCheck | undefined;
  saving: boolean;
}

let state: FormState | undefined;
let uiRef: Ui | undefined;
let checkSeq = 0;

async function check(): Promise<void> {
  if (!state) return;
  const seq = ++checkSeq;
  const result = await api().checkSettings(state.form);
  if (seq !== checkSeq || !state) return; // a newer check is on its way
  state.result = result;
  renderMessages();
}

function renderMessages(): void {
  const result = state?.result;
  const box = document.getElementById('settings-result');
  for (const el of document.querySelectorAll('.field.invalid')) el.classList.remove('invalid');
  for (const el of document.querySelectorAll('.field-error')) el.textContent = '';
  if (!box) return;
  if (!result) return box.replaceChildren();
  if (result.ok) {
    mount(
      box,
      h(
        'div',
        { class: 'banner ok', role: 'status' },
        h(
          'div',
          { class: 'banner-text' },
          h('strong', {}, 'Looks good.'),
          ' ',
          result.warnings.join(' '),
        ),
      ),
    );
    return;
  }
  mount(
    box,
    h(
      'div',
      { class: 'banner error', role: 'alert' },
      h('div', { class: 'banner-text validation' }, result.message),
    ),
  );
  const holder = result.field && document.querySelector(`.field[data-field="${result.field}"]`);
  if (holder) {
    holder.classList.add('invalid');
    const msg = holder.querySelector('.field-error');
    // Next to the field, the part from the key on; the whole message (file, line) is in the
    // result banner by the Save button.
    if (msg) msg.textContent = result.message.replace(/^.*?: (?=[a-z_]+\.[a-z_]+: )/, '');
  }
}

function render(): void {
  const s = state;
  const ui = uiRef;
  if (!s) return;
  const save = async () => {
    s.saving = true;
    render();
    try {
      const result = await api().saveSettings(s.form);
      s.result = result;
      if (result.ok && ui) {
        ui.setFlash({
          kind: 'info',
          text: ['Settings saved; cloud-sync restarted with them.', ...result.warnings].join(' '),
        });
        await ui.reload();
        ui.show('dashboard');
      }
    } catch (error) {
      s.result = { ok: false, message: errorText(error) };
    } finally {
      s.saving = false;
      render();
      renderMessages();
    }
  };
  mount(
    byId('settings'),
    h(
      'div',
      { class: 'settings-head' },
      h('h2', {}, 'Settings'),
      h('p', { class: 'muted path', title: s.load.file }, s.load.file),
    ),
    s.load.firstRun ? guide() : null,
    s.load.encryptionAvailable
      ? null
      : h(
          'div',
          { class: 'banner warn' },
          h(
            'div',
            { class: 'banner-text' },
            h('strong', {}, 'No system keyring.'),
            ' Secrets cannot be stored by the app here; set ONEDRIVE_CLIENT_SECRET, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY or SENDGRID_API_KEY in the environment instead.',
          ),
        ),
    h(
      'form',
      {
        id: 'settings-form',
        novalidate: true,
        onsubmit: (e: Event) => {
          e.preventDefault();
          void save();
        },
      },
      GROUPS.map((g) => group(g, s)),
      h('div', { id: 'settings-result' }),
      h(
        'div',
        { class: 'form-actions' },
        h(
          'button',
          {
            type: 'button',
            class: 'ghost',
            'data-action': 'back',
            onclick: () => ui?.show('dashboard'),
          },
          'Back',
        ),
        h(
          'button',
          { type: 'button', 'data-action': 'check', onclick: () => void check() },
          'Check',
        ),
        h(
          'button',
          { type: 'submit', class: 'primary', 'data-action': 'save', disabled: s.saving },
          s.saving ? 'Saving…' : 'Save',
        ),
      ),
    ),
  );
  renderMessages();
}

/** Loads the current config into the form (secrets stay in main; their fields start empty). */
export async function openSettings(ui: Ui): Promise<void> {
  uiRef = ui;
  let load: SettingsLoad;
  try {
    load = await api().getSettings();
  } catch (error) {
    mount(
      byId('settings'),
      h(
        'div',
        { class: 'banner error', role: 'alert' },
        h(
          'div',
          { class: 'banner-text' },
          h('strong', {}, 'Settings could not be loaded.'),
          ' ',
          errorText(error),
        ),
      ),
    );
    return;
  }
  state = {
    load,
    form: { ...load.form },
    result: undefined,
    saving: false,
    changed(rerender) {
      if (rerender) render();
      void check();
    },
  };
  render();
}
